// The laboratory's pieces: the exact expected clipped gradient (grpo.md §5.2, table 5.4), its
// Monte-Carlo check through the library's own loss path (§5.6 item 1), seed independence
// within the batch dimension, and setup errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import {
  createBandit, banditRolloutBatch, disposeBandit, expectedClippedGradient, logOddsRows, meanPositiveAdvantage,
  monteCarloClippedGradient, resolveGrpoConfig, runBandit, softmaxRows,
} from '../../lib/grpo';

const near = (a: number, b: number, what: string, tol: number): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const band = { epsLow: 0.2, epsHigh: 0.2 };

test('E[A⁺] for G = 16, q = 0.5 group-normalised advantages is 0.468 (grpo.md §5.1)', () => {
  near(meanPositiveAdvantage(16, 0.5, 1e-6), 0.468, 'c', 5e-4);
  // G = 2: only k = 1 varies (prob 1/2); the success gets (1 − 1/2)/std, std = √(1/2): c = ½·½·(½/√½).
  near(meanPositiveAdvantage(2, 0.5, 0), 0.25 * 0.5 / Math.sqrt(0.5), 'c for G = 2', 1e-12);
});

test('expectedClippedGradient reproduces table 5.4 and is 0 when no ratio leaves the band', () => {
  const c = meanPositiveAdvantage(16, 0.5, 1e-6);
  const inside = expectedClippedGradient({ old: [0.65, 0.35], current: [0.705, 0.295] }, band, c);
  assert.deepEqual(inside.gradient, [0, 0]);
  assert.deepEqual([inside.upper, inside.lower], [[], []]);
  const up = expectedClippedGradient({ old: [0.65, 0.35], current: [0.567, 0.433] }, band, c);
  assert.deepEqual([up.upper, up.lower], [[1], []]);
  near(up.gradient[0], 0.11496, 'row 2, θ1', 2e-4);
  near(up.gradient[1], -0.11496, 'row 2, θ2', 2e-4);
  const three = expectedClippedGradient({ old: [0.5, 0.3, 0.2], current: [0.475, 0.385, 0.14] }, band, c);
  assert.deepEqual([three.upper, three.lower], [[1], [2]]);
  [0.05421, -0.13614, 0.08194].forEach((g, k) => near(three.gradient[k], g, `row 3, θ${k + 1}`, 5e-4));
});

test('Monte-Carlo mean of the clipped-surrogate gradient (group_norm → ppo_clip → token-mean) matches the formula', async (t) => {
  await initBackend({ backend: 'wasm' });
  const c = meanPositiveAdvantage(16, 0.5, 1e-6);
  const cases = [
    { old: [0.65, 0.35], current: [0.705, 0.295] },
    { old: [0.65, 0.35], current: [0.567, 0.433] },
    { old: [0.5, 0.3, 0.2], current: [0.475, 0.385, 0.14] },
  ];
  for (const [i, policy] of cases.entries()) {
    const exact = expectedClippedGradient(policy, band, c).gradient;
    const mc = monteCarloClippedGradient(policy, band, { samples: 1 << 18, chunks: 16, groupSize: 16, rewardProb: 0.5, stdEps: 1e-6, seed: 11 + i });
    t.diagnostic(`case ${i + 1}: MC [${mc.mean.map((x) => x.toFixed(5))}] ± [${mc.se.map((x) => x.toFixed(5))}], formula [${exact.map((x) => x.toFixed(5))}]`);
    exact.forEach((g, k) => {
      assert.ok(mc.se[k] < 0.004, `MC standard error ${mc.se[k]} is small enough to tell 0 from 0.05`);
      assert.ok(Math.abs(mc.mean[k] - g) < 4 * mc.se[k] + 1e-4, `case ${i + 1}, θ${k + 1}: MC ${mc.mean[k]} ± ${mc.se[k]} vs formula ${g}`);
    });
  }
});

test('seeds are independent rows: seed 0 follows the same path whether 1 or 300 seeds run', async () => {
  await initBackend({ backend: 'wasm' });
  const cfg = resolveGrpoConfig('clip-lab', { optimizer: 'adam', lr: 0.1 });
  const setup = { seeds: 300, prior: [0.4, 0.3, 0.2, 0.1], rewardProb: 0.5, seed: 3, rolloutBatches: 3 };
  const many = runBandit(setup, cfg);
  const one = runBandit({ ...setup, seeds: 1 }, cfg);
  for (let k = 0; k < 4; k++) near(one.finalLogits[k], many.finalLogits[k], `seed 0 logit ${k}`, 1e-5);
  assert.notEqual(many.finalLogits[0], many.finalLogits[4], 'different seeds take different paths');
  assert.equal(many.rollouts.length, 3);
  // The logged mean entropy and k1 KL to the prior start at the prior's entropy and 0.
  const H = -[0.4, 0.3, 0.2, 0.1].reduce((s, p) => s + p * Math.log(p), 0);
  near(many.rollouts[0].steps[0].entropy, H, 'entropy at the prior (float32 mean)', 1e-4);
  near(many.rollouts[0].steps[0].klLoss, 0, 'KL to the prior at the prior', 1e-6);
  // Later rollout batches sample from the moved policy: the first step's ratio is 1 again.
  assert.equal(many.rollouts[2].steps[0].ratioMaxAbsDev, 0);
});

test('a rollout batch leaves no tensors behind; the policy rows stay normalised', async () => {
  await initBackend({ backend: 'wasm' });
  const b = createBandit({ seeds: 50, prior: [0.65, 0.35], rewardProb: 0.5, seed: 1, rolloutBatches: 2 }, resolveGrpoConfig('clip-lab'));
  banditRolloutBatch(b);
  const n = tf.memory().numTensors;
  const r = banditRolloutBatch(b);
  assert.equal(tf.memory().numTensors, n);
  const logits = b.logits.dataSync();
  const p = softmaxRows(logits, 2);
  near(p[0] + p[1], 1, 'row sums to 1', 1e-12);
  near(logOddsRows(logits, 2, 0)[0], Math.log(p[0] / p[1]), 'log-odds', 1e-9);
  assert.deepEqual(r.logOddsAfter, logOddsRows(logits, 2, 0));
  disposeBandit(b);
});

test('bandit setup errors name the field and the fix', () => {
  const lab = resolveGrpoConfig('clip-lab');
  const ok = { seeds: 10, prior: [0.65, 0.35], rewardProb: 0.5, seed: 1, rolloutBatches: 1 };
  assert.throws(() => createBandit(ok, resolveGrpoConfig('authors')), /maxGradNorm is 1, but a global gradient norm would couple the independent seeds/);
  assert.throws(() => createBandit({ ...ok, prior: [0.6, 0.3] }, lab), /must be positive and sum to 1/);
  assert.throws(() => createBandit({ ...ok, prior: [1] }, lab), /needs at least 2/);
  assert.throws(() => createBandit({ ...ok, seeds: 0 }, lab), /seeds is 0/);
  assert.throws(() => expectedClippedGradient({ old: [0.5, 0.5], current: [1] }, band, 0.4), /same length/);
});
