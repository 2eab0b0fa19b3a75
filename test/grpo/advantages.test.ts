// Advantage estimators and the authors' whitening: hand-computed values on small groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADVANTAGE_ESTIMATORS, computeAdvantages, type AdvantageOptions } from '../../lib/grpo';

const base: AdvantageOptions = {
  groupSize: 4, estimator: 'group_norm', stdEps: 1e-9, filterZeroVariance: false, whitenGlobally: false, whitenVarFloor: 1e-8,
};

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-12, what = 'advantages'): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

test('group_norm: (r − mean) / (unbiased std + eps) per group', () => {
  // Group 1: [1,0,0,0]: mean 0.25, unbiased var (0.75² + 3·0.25²)/3 = 0.25 → std 0.5.
  // Group 2: [2,0,1,1]: mean 1, unbiased var (1 + 1 + 0 + 0)/3 → std √(2/3).
  const r = [1, 0, 0, 0, 2, 0, 1, 1];
  const s2 = Math.sqrt(2 / 3);
  const d1 = 0.5 + 1e-9, d2 = s2 + 1e-9;
  const out = computeAdvantages(r, base);
  close(out.advantages, [0.75 / d1, -0.25 / d1, -0.25 / d1, -0.25 / d1, 1 / d2, -1 / d2, 0, 0]);
  assert.deepEqual([...out.keep], [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(out.metrics.groups, 2);
  assert.equal(out.metrics.zeroStdFrac, 0);
  assert.equal(out.metrics.rewardMean, 5 / 8);
});

test('group_norm with a large eps shows eps is added to the std, not the variance', () => {
  const out = computeAdvantages([1, 0, 0, 0], { ...base, stdEps: 0.5 });
  close(out.advantages, [0.75 / 1.0, -0.25 / 1.0, -0.25 / 1.0, -0.25 / 1.0]);
});

test('dr_grpo: r − group mean, no std', () => {
  const out = computeAdvantages([1, 0, 0, 0, 2, 0, 1, 1], { ...base, estimator: 'dr_grpo' });
  close(out.advantages, [0.75, -0.25, -0.25, -0.25, 1, -1, 0, 0]);
});

test('rloo: r − mean of the other G−1 rewards', () => {
  const out = computeAdvantages([1, 0, 0, 0, 2, 0, 1, 1], { ...base, estimator: 'rloo' });
  // [2,0,1,1]: 2 − 2/3, 0 − 4/3, 1 − 3/3, 1 − 3/3
  close(out.advantages, [1, -1 / 3, -1 / 3, -1 / 3, 2 - 2 / 3, -4 / 3, 0, 0]);
});

test('constant groups get exactly 0 under every estimator, and are counted', () => {
  const r = [0.3, 0.3, 0.3, 0.3, 1, 0, 1, 0];
  for (const estimator of Object.keys(ADVANTAGE_ESTIMATORS)) {
    const out = computeAdvantages(r, { ...base, estimator });
    assert.deepEqual([...out.advantages.subarray(0, 4)], [0, 0, 0, 0], estimator);
    assert.ok(out.advantages[4] > 0 && out.advantages[5] < 0, `${estimator}: the varying group still has signal`);
    assert.equal(out.metrics.zeroStdFrac, 0.5, estimator);
  }
});

test('filterZeroVariance drops whole constant groups via keep, and stats skip them', () => {
  const out = computeAdvantages([1, 1, 1, 1, 1, 0, 0, 0], { ...base, estimator: 'dr_grpo', filterZeroVariance: true });
  assert.deepEqual([...out.keep], [0, 0, 0, 0, 1, 1, 1, 1]);
  assert.equal(out.metrics.keptFrac, 0.5);
  // Kept advantages [0.75, −0.25, −0.25, −0.25]: mean 0, max 0.75, min −0.25.
  assert.ok(Math.abs(out.metrics.advMean) < 1e-15);
  assert.equal(out.metrics.advMax, 0.75);
  assert.equal(out.metrics.advMin, -0.25);
});

test('whitening: token-weighted μ and σ over all responses; constant groups get −μ/σ (grpo.md §1.3)', () => {
  // G = 2. Groups [1,0], [0,1] → ±a with a = 0.5/(√0.5 + 1e-9); group [1,1] → 0.
  const a = 0.5 / (Math.sqrt(0.5) + 1e-9);
  const A = [a, -a, -a, a, 0, 0];
  const L = [1, 3, 2, 2, 4, 0]; // a length of 0 counts as 1 (num_actions = max(1, len))
  const Lc = [1, 3, 2, 2, 4, 1];
  const tokens = 13;
  const mu = (a - 3 * a - 2 * a + 2 * a) / tokens; // = −2a/13
  let v = 0;
  for (let i = 0; i < 6; i++) v += Lc[i] * (A[i] - mu) ** 2;
  const sigma = Math.sqrt(v / tokens);
  const out = computeAdvantages([1, 0, 0, 1, 1, 1], { ...base, groupSize: 2, whitenGlobally: true, lengths: L });
  close(out.advantages, A.map((x) => (x - mu) / sigma), 1e-12);
  assert.ok(out.advantages[4] > 0, 'the constant group is shifted by −μ/σ > 0, not removed');
  close([out.metrics.whitenMu as number, out.metrics.whitenSigma as number], [mu, sigma], 1e-12, 'μ, σ');
  assert.ok(Math.abs(out.metrics.advMeanFinal - (out.advantages.reduce((s, x) => s + x, 0) / 6)) < 1e-12);
  assert.ok(Math.abs(out.metrics.advMean) < 1e-15, 'before whitening: per-group zero mean');
});

test('whitening floor: a batch of equal advantages divides by √floor, not by 0', () => {
  const out = computeAdvantages([1, 1, 0, 0], { ...base, groupSize: 2, whitenGlobally: true, lengths: [1, 1, 1, 1], whitenVarFloor: 0.25 });
  assert.deepEqual([...out.advantages], [0, 0, 0, 0]);
  assert.equal(out.metrics.whitenSigma, 0.5);
});

test('bad input: incomplete groups, G < 2, non-finite rewards, whitening without lengths, unknown estimator', () => {
  assert.throws(() => computeAdvantages([1, 0, 1], base), /3 rewards is not a positive multiple of groupSize 4/);
  assert.throws(() => computeAdvantages([1, 0], { ...base, groupSize: 1 }), /groupSize is 1/);
  assert.throws(() => computeAdvantages([1, NaN, 0, 0], base), /reward 1 is NaN/);
  assert.throws(() => computeAdvantages([1, 0, 0, 0], { ...base, whitenGlobally: true }), /no lengths were given/);
  assert.throws(() => computeAdvantages([1, 0, 0, 0], { ...base, whitenGlobally: true, lengths: [1, 2] }), /lengths has 2 entries but there are 4 rewards/);
  assert.throws(() => computeAdvantages([1, 0, 0, 0], { ...base, estimator: 'grpo' }),
    /advantage estimator "grpo" is not registered; known: dr_grpo, group_norm, rloo/);
});

test('a user estimator plugs in through a merged registry', () => {
  const estimators = { ...ADVANTAGE_ESTIMATORS, raw: (g: Float64Array) => Float64Array.from(g, (r) => 10 * r) };
  const out = computeAdvantages([1, 0, 0, 0], { ...base, estimator: 'raw', estimators });
  close(out.advantages, [10, 0, 0, 0]);
});
