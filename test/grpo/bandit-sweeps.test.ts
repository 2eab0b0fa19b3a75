// The experiment helpers over the clipping-bias laboratory (lib/grpo/bandit/sweeps.ts): record shapes,
// the no-clip twin pairing, exact zeros where the clip cannot bind, determinism, and the sign-flip reading.
// Small seed counts: these check the plumbing and exact properties; the statistical claims live in
// bandit-acceptance.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/tensor';
import {
  epsilonSweep, expectedClippedGradient, gradientCheck, longRun, meanPositiveAdvantage, neutralEpsHigh, pairedInterval,
  rolloutDrift, signFlip, type BanditArm, type DriftRow,
} from '../../lib/grpo';

const setup = { seeds: 300, prior: [0.65, 0.35], rewardProb: 0.5, seed: 7 };
const ARMS: BanditArm[] = [
  { name: 'clip' }, { name: 'no clip', overrides: { policyLoss: 'no_clip' } }, { name: 'M 1', overrides: { minibatches: 1 } },
];

test('rolloutDrift: one row per arm, in order; M = 1 and the no-clip arm are exactly 0 against the twin', async () => {
  await initBackend({ backend: 'wasm' });
  const [clip, free, m1] = rolloutDrift(ARMS, setup);
  assert.deepEqual([clip.arm, free.arm, m1.arm], ['clip', 'no clip', 'M 1']);
  assert.deepEqual([clip.minibatches, m1.minibatches, free.policyLoss, clip.seeds], [8, 1, 'no_clip', 300]);
  for (const r of [free, m1]) {
    assert.deepEqual([r.paired, r.pairedSe, r.pairedMaxAbs, r.clipFrac], [0, 0, 0, 0], `${r.arm}`);
  }
  assert.notEqual(m1.drift, 0, 'the M = 1 policy did move');
  assert.ok(clip.clipFrac > 0 && clip.pairedMaxAbs > 0, 'with M = 8 the clip binds on some seeds');
  // The twin of the clipped arm is the no-clip arm on the same draws, so the paired mean is the difference of means.
  assert.ok(Math.abs(clip.paired - (clip.drift - free.drift)) < 1e-12, `${clip.paired} vs ${clip.drift - free.drift}`);
  for (const r of [clip, free, m1]) {
    assert.ok(r.driftLo < r.drift && r.drift < r.driftHi, `${r.arm}: drift interval`);
    assert.ok(Math.abs(r.driftHi - r.drift - 1.96 * r.driftSe) < 1e-12);
  }
  assert.ok(clip.pairedLo < clip.paired && clip.paired < clip.pairedHi);
  assert.deepEqual(pairedInterval(clip), { mean: clip.paired, lo: clip.pairedLo, hi: clip.pairedHi });
});

test('rolloutDrift: the same seed gives the same numbers; another seed different ones', async () => {
  await initBackend({ backend: 'wasm' });
  const a = rolloutDrift(ARMS.slice(0, 1), setup);
  assert.deepEqual(rolloutDrift(ARMS.slice(0, 1), setup), a);
  assert.notEqual(rolloutDrift(ARMS.slice(0, 1), { ...setup, seed: 8 })[0].drift, a[0].drift);
});

test('epsilonSweep: one record per ε_h with ε_l fixed, named "ε_l/ε_h", intervals, and one shared no-clip twin', async () => {
  await initBackend({ backend: 'wasm' });
  const rows = epsilonSweep([0.2, 0.25, 0.3], 0.2, setup);
  assert.deepEqual(rows.map((r) => [r.arm, r.epsLow, r.epsHigh]), [['0.2/0.2', 0.2, 0.2], ['0.2/0.25', 0.2, 0.25], ['0.2/0.3', 0.2, 0.3]]);
  for (const r of rows) assert.ok(Number.isFinite(r.pairedSe) && r.pairedSe > 0 && r.pairedLo < r.pairedHi, r.arm);
  // Same twin for every ε: own drift − paired is the twin's drift, identical across the sweep.
  const twin = rows.map((r) => r.drift - r.paired);
  for (const t of twin) assert.ok(Math.abs(t - twin[0]) < 1e-12, `${twin}`);
  // A wider upper band clips less.
  assert.ok(rows[0].clipFrac > rows[2].clipFrac, `clip fractions ${rows.map((r) => r.clipFrac)}`);
  // The sweep is rolloutDrift with ε overrides: the 0.2/0.2 row equals the default clipped arm.
  assert.equal(rows[0].drift, rolloutDrift(ARMS.slice(0, 1), setup)[0].drift);
});

const row = (epsHigh: number, paired: number, halfWidth: number): DriftRow => ({
  arm: `0.2/${epsHigh}`, policyLoss: 'ppo_clip', epsLow: 0.2, epsHigh, minibatches: 8, seeds: 100,
  drift: paired, driftSe: 0, driftLo: paired, driftHi: paired,
  paired, pairedSe: halfWidth / 1.96, pairedLo: paired - halfWidth, pairedHi: paired + halfWidth, pairedMaxAbs: 0, clipFrac: 0,
});

test('signFlip interpolates the crossing and reads the intervals, whatever the row order', () => {
  const rows = [row(0.3, -0.02, 0.005), row(0.2, 0.02, 0.005), row(0.24, 0.01, 0.012), row(0.26, -0.01, 0.012)];
  const flip = signFlip(rows);
  assert.ok(flip.crossing !== null && Math.abs(flip.crossing - 0.25) < 1e-12, `${flip.crossing}`);
  assert.equal(flip.lastPositive, 0.2); // 0.24's interval reaches below 0
  assert.equal(flip.firstNegative, 0.3);
  assert.deepEqual(signFlip([row(0.2, 0.02, 0.001), row(0.3, 0.01, 0.001)]), { crossing: null, lastPositive: 0.3, firstNegative: null });
  assert.equal(signFlip([row(0.2, 0.02, 0.001), row(0.25, 0, 0.001), row(0.3, -0.01, 0.001)]).crossing, 0.25);
});

test('neutralEpsHigh: log(1 + ε_h) = −log(1 − ε_l), 0.25 for ε_l = 0.2', () => {
  assert.ok(Math.abs(neutralEpsHigh(0.2) - 0.25) < 1e-15);
  for (const e of [0.1, 0.2, 0.3]) assert.ok(Math.abs(Math.log(1 + neutralEpsHigh(e)) + Math.log(1 - e)) < 1e-12);
});

test('longRun: trajectory from the prior every `every` batches (and the last), summaries paired with the no-clip twin', async () => {
  await initBackend({ backend: 'wasm' });
  const arms: BanditArm[] = [{ name: 'clip' }, { name: 'clip 0.28', overrides: { epsHigh: 0.28 } }, { name: 'no clip', overrides: { policyLoss: 'no_clip' } }];
  const small = { ...setup, seeds: 100 };
  const { trajectory, summary } = longRun(arms, small, 5, 2);
  assert.deepEqual(trajectory.filter((p) => p.arm === 'clip').map((p) => p.rollout), [0, 2, 4, 5]);
  assert.equal(trajectory.length, 12);
  for (const p of trajectory.filter((q) => q.rollout === 0)) {
    assert.ok(Math.abs(p.pTop - 0.65) < 1e-6 && Math.abs(p.medianPTop - 0.65) < 1e-6, 'rollout 0 is the prior');
    assert.ok(Number.isNaN(p.clipFrac));
  }
  const entropy0 = -(0.65 * Math.log(0.65) + 0.35 * Math.log(0.35));
  assert.ok(Math.abs(trajectory[0].entropy - entropy0) < 1e-6);
  const [clip, clip28, free] = summary;
  assert.deepEqual(summary.map((s) => [s.arm, s.rollouts, s.seeds]), [['clip', 5, 100], ['clip 0.28', 5, 100], ['no clip', 5, 100]]);
  assert.deepEqual([free.paired, free.pairedSe, free.clipFrac], [0, 0, 0]);
  assert.ok(clip.clipFrac > 0);
  const last = trajectory.filter((p) => p.arm === 'clip' && p.rollout === 5)[0];
  assert.equal(last.pTop, clip.pTop);
  // Both clipped arms pair with the same twin: their paired difference equals their difference of means.
  assert.ok(Math.abs((clip.paired - clip28.paired) - (clip.pTop - clip28.pTop)) < 1e-12);
  assert.ok(Math.abs(clip.paired - (clip.pTop - free.pTop)) < 1e-12);
  assert.deepEqual(longRun(arms.slice(0, 1), small, 5, 2).summary[0], clip, 'same seed, same numbers');
  assert.throws(() => longRun(arms, small, 0), /rollouts is 0/);
  assert.throws(() => longRun(arms, small, 3, 1.5), /every is 1.5/);
});

test('gradientCheck: one row per logit, regions and formula as expectedClippedGradient, Monte Carlo close', async () => {
  await initBackend({ backend: 'wasm' });
  const band = { epsLow: 0.2, epsHigh: 0.2 };
  const cases = [{ old: [0.65, 0.35], current: [0.705, 0.295] }, { old: [0.5, 0.3, 0.2], current: [0.475, 0.385, 0.14] }];
  const mc = { samples: 1 << 14, chunks: 8, groupSize: 16, rewardProb: 0.5, stdEps: 1e-6, seed: 3 };
  const rows = gradientCheck(cases, band, mc);
  assert.deepEqual(rows.map((r) => [r.case, r.strategy, r.region]), [[1, 1, 'inside'], [1, 2, 'inside'], [2, 1, 'inside'], [2, 2, 'U'], [2, 3, 'L']]);
  const exact = expectedClippedGradient(cases[1], band, meanPositiveAdvantage(16, 0.5, 1e-6)).gradient;
  assert.deepEqual(rows.slice(2).map((r) => r.formula), exact);
  assert.deepEqual(rows.slice(0, 2).map((r) => r.formula), [0, 0]);
  for (const r of rows) {
    assert.ok(Math.abs(r.ratio - r.piNow / r.piOld) < 1e-15);
    assert.ok(Math.abs(r.z) < 5, `case ${r.case}, strategy ${r.strategy}: z = ${r.z}`);
  }
});
