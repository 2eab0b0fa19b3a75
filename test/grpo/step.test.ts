// optimizerStep (sync and async), the optimisers, LR schedules, planMinibatches and readMetrics (sync and async).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { createRng } from '../../lib/util';
import { LR_SCHEDULES, OPTIMIZERS, optimizerStep, optimizerStepAsync, planMinibatches, readMetrics, readMetricsAsync, type GrpoLossOutput } from '../../lib/grpo';

const near = (a: number, b: number, what: string, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const optCfg = { adamBeta1: 0.9, adamBeta2: 0.95, adamEps: 1e-8, weightDecay: 0 };

/** loss = Σ c_i·w_i (gradient c), with one extra metric. */
function linearLoss(w: tf.Variable, c: number[]): () => GrpoLossOutput {
  return () => {
    const loss = tf.sum(tf.mul(w, tf.tensor1d(c))) as tf.Scalar;
    return { loss, metrics: { loss, twice: tf.mul(loss, 2) } };
  };
}

test('SGD step: w ← w − lr·g; gradNorm is the pre-clip global norm; clip scales to maxGradNorm', async () => {
  await initBackend({ backend: 'cpu' });
  const w = tf.variable(tf.tensor1d([1, 2]));
  const sgd = OPTIMIZERS.sgd([w], optCfg);
  const before = tf.memory().numTensors;
  const m = optimizerStep(sgd, [w], linearLoss(w, [3, 4]), { lr: 0.1, maxGradNorm: null });
  assert.equal(tf.memory().numTensors, before, 'no tensors leak from a step');
  near(m.gradNorm, 5, 'gradNorm');
  near(m.loss, 11, 'loss (before the update)');
  near(m.twice, 22, 'extra metric read with the rest');
  assert.equal(m.lr, 0.1);
  const w1 = w.dataSync();
  near(w1[0], 1 - 0.3, 'w0'); near(w1[1], 2 - 0.4, 'w1');
  // Norm 5 clipped to 1: g·1/(5 + 1e-6).
  const m2 = optimizerStep(sgd, [w], linearLoss(w, [3, 4]), { lr: 1, maxGradNorm: 1 });
  near(m2.gradNorm, 5, 'gradNorm is reported before clipping');
  const w2 = w.dataSync();
  near(w2[0], w1[0] - 3 / (5 + 1e-6), 'clipped w0', 1e-5); near(w2[1], w1[1] - 4 / (5 + 1e-6), 'clipped w1', 1e-5);
  w.dispose();
});

test('Adam: first step moves each weight by lr·sign(g) (bias-corrected), second step by the formula; decoupled decay', async () => {
  await initBackend({ backend: 'cpu' });
  const w = tf.variable(tf.tensor1d([1, -1]));
  const adam = OPTIMIZERS.adam([w], { ...optCfg, weightDecay: 0.5 });
  optimizerStep(adam, [w], linearLoss(w, [3, -0.01]), { lr: 0.1, maxGradNorm: null });
  // m̂ = g, v̂ = g² → step = g/(|g| + 1e-8) ≈ sign(g); decay first: w(1 − 0.1·0.5).
  const w1 = Array.from(w.dataSync());
  near(w1[0], 1 * 0.95 - 0.1, 'w0 after step 1', 1e-6);
  near(w1[1], -1 * 0.95 + 0.1, 'w1 after step 1', 1e-5);
  optimizerStep(adam, [w], linearLoss(w, [1, -0.01]), { lr: 0.1, maxGradNorm: null });
  // w0: m = 0.9·0.3 + 0.1·1 = 0.37 → m̂ = 0.37/0.19; v = 0.95·0.45 + 0.05·1 = 0.4775 → v̂ = 0.4775/0.0975.
  const step = (0.37 / 0.19) / (Math.sqrt(0.4775 / 0.0975) + 1e-8);
  near(w.dataSync()[0], w1[0] * 0.95 - 0.1 * step, 'w0 after step 2', 1e-6);
  adam.dispose();
  w.dispose();
});

test('LR schedules: constant, linear and cosine with warm-up', async () => {
  assert.equal(LR_SCHEDULES.constant(1e-3, 0, 100, 0), 1e-3);
  assert.equal(LR_SCHEDULES.constant(1e-3, 4, 100, 10), 1e-3 * 5 / 10);
  near(LR_SCHEDULES.linear(1, 0, 100, 0), 1, 'linear start');
  near(LR_SCHEDULES.linear(1, 50, 100, 0), 0.5, 'linear middle');
  near(LR_SCHEDULES.linear(1, 60, 100, 20), 0.5, 'linear after warm-up');
  near(LR_SCHEDULES.cosine(1, 50, 100, 0), 0.5, 'cosine middle');
  near(LR_SCHEDULES.cosine(1, 100, 100, 0), 0, 'cosine end');
});

test('planMinibatches: every response once per epoch, seeded, identity without shuffle', async () => {
  const plan = planMinibatches(12, { minibatches: 3, epochs: 2, shuffle: true }, createRng(5));
  assert.equal(plan.length, 6);
  for (let e = 0; e < 2; e++) {
    const seen = plan.slice(e * 3, e * 3 + 3).flatMap((mb) => { assert.equal(mb.length, 4); return Array.from(mb); });
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i), `epoch ${e} is a partition`);
  }
  const again = planMinibatches(12, { minibatches: 3, epochs: 2, shuffle: true }, createRng(5));
  assert.deepEqual(plan.map((x) => Array.from(x)), again.map((x) => Array.from(x)), 'same seed, same plan');
  assert.notDeepEqual(Array.from(plan[0]), [0, 1, 2, 3], 'shuffled');
  assert.notDeepEqual(Array.from(plan[0]), Array.from(plan[3]), 'epochs reshuffle');
  const flat = planMinibatches(6, { minibatches: 2, epochs: 1, shuffle: false }, createRng(1));
  assert.deepEqual(flat.map((x) => Array.from(x)), [[0, 1, 2], [3, 4, 5]]);
  assert.throws(() => planMinibatches(10, { minibatches: 3, epochs: 1, shuffle: false }, createRng(1)), /10 responses do not split into 3/);
});

test('readMetrics reads every scalar in one go', async () => {
  await initBackend({ backend: 'cpu' });
  const m = tf.tidy(() => readMetrics({ a: tf.scalar(1.5), b: tf.scalar(-2) }));
  assert.deepEqual(m, { a: 1.5, b: -2 });
  assert.deepEqual(readMetrics({}), {});
});

test('SGD with momentum: b ← μ·b + g, w ← w − lr·b (torch), and the buffer is checkpointed', async () => {
  await initBackend({ backend: 'cpu' });
  const w = tf.variable(tf.tensor1d([1, 2]));
  const opt = OPTIMIZERS.sgd([w], { ...optCfg, sgdMomentum: 0.9 }, ['w']);
  optimizerStep(opt, [w], linearLoss(w, [3, 4]), { lr: 0.1, maxGradNorm: null }); // b = g = (3, 4)
  near(w.dataSync()[0], 1 - 0.3, 'step 1, w0');
  optimizerStep(opt, [w], linearLoss(w, [3, 4]), { lr: 0.1, maxGradNorm: null }); // b = 0.9·(3, 4) + (3, 4) = (5.7, 7.6)
  near(w.dataSync()[0], 0.7 - 0.57, 'step 2, w0');
  near(w.dataSync()[1], 1.6 - 0.76, 'step 2, w1');
  const state = await opt.exportState();
  assert.deepEqual(Object.keys(state.slots), ['momentum/w']);
  near(state.slots['momentum/w'].data[1], 7.6, 'saved buffer', 1e-5);
  // A fresh optimiser given the state takes the same third step as the original.
  const w2 = tf.variable(tf.tensor1d(Array.from(w.dataSync())));
  const copy = OPTIMIZERS.sgd([w2], { ...optCfg, sgdMomentum: 0.9 }, ['w']);
  copy.importState(state);
  optimizerStep(opt, [w], linearLoss(w, [1, -1]), { lr: 0.1, maxGradNorm: null });
  optimizerStep(copy, [w2], linearLoss(w2, [1, -1]), { lr: 0.1, maxGradNorm: null });
  assert.deepEqual(Array.from(w2.dataSync()), Array.from(w.dataSync()));
  // Plain SGD has no buffer to save.
  assert.deepEqual((await OPTIMIZERS.sgd([w], optCfg).exportState()).slots, {});
  opt.dispose(); copy.dispose(); w.dispose(); w2.dispose();
});

test('optimizerStepAsync and readMetricsAsync give what the sync versions give, leaking nothing', async () => {
  await initBackend({ backend: 'cpu' });
  const a = tf.variable(tf.tensor1d([1, 2, -3]));
  const b = tf.variable(tf.tensor1d([1, 2, -3]));
  const optA = OPTIMIZERS.adam([a], optCfg);
  const optB = OPTIMIZERS.adam([b], optCfg);
  const before = tf.memory().numTensors;
  for (const [c, clip] of [[[3, 4, 1], 1], [[-1, 0.5, 2], null]] as const) {
    const sync = optimizerStep(optA, [a], linearLoss(a, [...c]), { lr: 0.05, maxGradNorm: clip });
    const asyncM = await optimizerStepAsync(optB, [b], linearLoss(b, [...c]), { lr: 0.05, maxGradNorm: clip });
    assert.deepEqual(asyncM, sync);
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak from an async step');
  const m = { x: tf.scalar(0.25), y: tf.scalar(-7) };
  assert.deepEqual(await readMetricsAsync(m), readMetrics(m));
  assert.deepEqual(await readMetricsAsync({}), {});
  tf.dispose([a, b, m.x, m.y]);
  optA.dispose();
  optB.dispose();
});
