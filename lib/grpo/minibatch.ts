// planMinibatches: which responses each optimizer step of one rollout batch uses. Each epoch
// is a (seeded) shuffle split into equal minibatches, every response used once per epoch
// (the authors: DataLoader(shuffle=True, drop_last=True), grpo.md §1.7).
import { shuffleInPlace, type Rng } from '../util';

export interface MinibatchPlanOptions {
  minibatches: number;
  epochs: number;
  shuffle: boolean;
}

/** epochs × minibatches index lists over [0, n) (views into one array per epoch); n must be a multiple of minibatches. */
export function planMinibatches(n: number, o: MinibatchPlanOptions, rng: Rng): Int32Array[] {
  if (!Number.isInteger(n) || n < 1 || n % o.minibatches !== 0) {
    throw new Error(`planMinibatches: ${n} responses do not split into ${o.minibatches} equal minibatches`);
  }
  const size = n / o.minibatches;
  const plan: Int32Array[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    if (o.shuffle) shuffleInPlace(order, rng); // rng.int(k) = floor(next() · k): the same draws as before
    for (let m = 0; m < o.minibatches; m++) plan.push(order.subarray(m * size, (m + 1) * size));
  }
  return plan;
}
