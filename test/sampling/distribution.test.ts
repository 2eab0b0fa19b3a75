// The per-position sampling policy: greedy, temperature, top-k, top-p masses, seeded draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../lib/util';
import { argmax, drawFrom, modelLogProb, policyDistribution, type PolicyDistribution, type SamplingPolicy } from '../../lib/sampling';

const P = (temperature: number, topK = 0, topP = 1): SamplingPolicy => ({ temperature, topK, topP });
/** Token → probability under the distribution. */
const masses = (d: PolicyDistribution): Map<number, number> => new Map(Array.from(d.ids, (id, j) => [id, Math.exp(d.logProbs[j])]));
const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol;

// Logits whose softmax at T=1 is exactly [0.1, 0.5, 0.15, 0.25] (token 1 most likely, then 3, 2, 0).
const PROBS = [0.1, 0.5, 0.15, 0.25];
const LOGITS = Float32Array.from(PROBS, Math.log);

test('greedy (temperature 0): a point mass on the argmax, lowest id on ties', () => {
  const d = policyDistribution(LOGITS, 0, 4, P(0));
  assert.deepEqual(Array.from(d.ids), [1]);
  assert.deepEqual(Array.from(d.logProbs), [0]);
  assert.equal(argmax([3, 7, 7, 1]), 1);
  assert.deepEqual(Array.from(policyDistribution([3, 7, 7, 1], 0, 4, P(0)).ids), [1]);
});

test('temperature: log-probs are log softmax(logits / T) over the whole vocabulary; rows are read at an offset', () => {
  const row = new Float32Array([9, 9, ...LOGITS]); // the row starts at offset 2
  for (const t of [0.5, 1, 2]) {
    const d = policyDistribution(row, 2, 4, P(t));
    const z = PROBS.map((p) => Math.log(p) / t);
    const norm = Math.log(z.reduce((s, x) => s + Math.exp(x), 0));
    assert.deepEqual(Array.from(d.ids), [0, 1, 2, 3]);
    d.logProbs.forEach((lp, i) => assert.ok(close(lp, z[i] - norm, 1e-6), `T=${t} token ${i}`));
  }
  const d1 = masses(policyDistribution(LOGITS, 0, 4, P(1)));
  PROBS.forEach((p, i) => assert.ok(close(d1.get(i)!, p, 1e-6)));
});

test('top-k keeps the k most likely tokens, renormalised', () => {
  const d = masses(policyDistribution(LOGITS, 0, 4, P(1, 2)));
  assert.deepEqual([...d.keys()].sort(), [1, 3]);
  assert.ok(close(d.get(1)!, 0.5 / 0.75, 1e-6) && close(d.get(3)!, 0.25 / 0.75, 1e-6));
  assert.deepEqual(Array.from(policyDistribution(LOGITS, 0, 4, P(1, 1)).ids), [1], 'top-k 1 is the argmax');
  assert.equal(policyDistribution(LOGITS, 0, 4, P(1, 10)).ids.length, 4, 'k >= vocab keeps everything');
});

test('top-p keeps the smallest most-likely-first set reaching the mass, renormalised', () => {
  // Sorted masses 0.5, 0.25, 0.15, 0.1; cumulative 0.5, 0.75, 0.9, 1.
  const cases: Array<[topP: number, kept: number[]]> = [[0.3, [1]], [0.5, [1]], [0.6, [1, 3]], [0.8, [1, 3, 2]], [0.95, [1, 3, 2, 0]]];
  for (const [topP, kept] of cases) {
    const d = masses(policyDistribution(LOGITS, 0, 4, P(1, 0, topP)));
    assert.deepEqual([...d.keys()], kept, `topP ${topP}`);
    const total = kept.reduce((s, i) => s + PROBS[i], 0);
    for (const i of kept) assert.ok(close(d.get(i)!, PROBS[i] / total, 1e-6), `topP ${topP} token ${i}`);
  }
});

test('top-p applies after temperature and top-k', () => {
  // T=0.5 squares the probabilities: 0.25, 0.0625, 0.0225, 0.01 over 0.345 → 0.725, 0.181, 0.065, 0.029.
  const d = masses(policyDistribution(LOGITS, 0, 4, P(0.5, 0, 0.8)));
  assert.deepEqual([...d.keys()], [1, 3]);
  // top-k 3 (tokens 1, 3, 2 renormalised: 0.556, 0.278, 0.167), then top-p 0.85 → 1, 3, 2 (0.833 < 0.85).
  assert.deepEqual([...masses(policyDistribution(LOGITS, 0, 4, P(1, 3, 0.85))).keys()], [1, 3, 2]);
  assert.deepEqual([...masses(policyDistribution(LOGITS, 0, 4, P(1, 3, 0.8))).keys()], [1, 3]);
});

test('seeded draws: reproducible, and frequencies follow the distribution', () => {
  const d = policyDistribution(LOGITS, 0, 4, P(1));
  const run = (seed: number): number[] => {
    const rng = createRng(seed);
    return Array.from({ length: 20000 }, () => d.ids[drawFrom(d, rng)]);
  };
  const a = run(7);
  assert.deepEqual(run(7), a);
  assert.notDeepEqual(run(8), a);
  const counts = [0, 0, 0, 0];
  for (const t of a) counts[t]++;
  PROBS.forEach((p, i) => assert.ok(Math.abs(counts[i] / a.length - p) < 0.012, `token ${i}: ${counts[i] / a.length} vs ${p}`));
});

test('modelLogProb is the untempered log-softmax; non-finite logits are an error naming the row', () => {
  assert.ok(close(modelLogProb(LOGITS, 0, 4, 3), Math.log(0.25), 1e-6));
  assert.throws(() => policyDistribution([0, NaN, 1], 0, 3, P(1), 'row 5'), /row 5 hold NaN at token 1/);
});
