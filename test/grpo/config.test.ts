// GrpoAlgoConfig: presets carry the values of grpo.md, resolve refuses unknown keys, wrong
// types and contradictory combinations, and returns a frozen record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS, PRESETS, resolveGrpoConfig } from '../../lib/grpo';

test('authors preset = the paper run (grpo.md §1)', () => {
  const c = resolveGrpoConfig('authors');
  assert.equal(c.groupSize, 16);
  assert.equal(c.promptsPerRollout, 64);
  assert.equal(c.advantage, 'group_norm');
  assert.equal(c.stdEps, 1e-9);
  assert.equal(c.whitenGlobally, true);
  assert.equal(c.policyLoss, 'ppo_clip');
  assert.deepEqual([c.epsLow, c.epsHigh, c.dualClip], [0.2, 0.2, null]);
  assert.equal(c.aggregation, 'micro-batch-token-mean');
  assert.equal(c.microBatchSize, 4);
  assert.deepEqual([c.klCoef, c.entropyCoef], [0, 0]);
  assert.deepEqual([c.minibatches, c.epochs], [8, 1]);
  assert.deepEqual([c.optimizer, c.lr, c.lrSchedule, c.warmupSteps], ['adam', 5e-7, 'constant', 0]);
  assert.deepEqual([c.adamBeta1, c.adamBeta2, c.adamEps, c.weightDecay, c.maxGradNorm], [0.9, 0.95, 1e-8, 0, 1]);
  assert.ok(Object.isFrozen(c));
  assert.throws(() => { (c as { lr: number }).lr = 1; }, TypeError);
});

test('other presets differ from the authors where grpo.md §2–3, §6 say', () => {
  const trl = resolveGrpoConfig('trl-default');
  assert.deepEqual([trl.stdEps, trl.whitenGlobally, trl.minibatches, trl.klEstimator, trl.lr, trl.adamBeta2, trl.lrSchedule],
    [1e-4, false, 1, 'k3', 1e-6, 0.999, 'linear']);
  const dr = resolveGrpoConfig('dr-grpo');
  assert.deepEqual([dr.advantage, dr.aggregation, dr.lossNormaliser], ['dr_grpo', 'seq-mean-token-sum-norm', 3072]);
  const dapo = resolveGrpoConfig('dapo');
  assert.deepEqual([dapo.epsLow, dapo.epsHigh, dapo.filterZeroVariance, dapo.aggregation], [0.2, 0.28, true, 'token-mean']);
  const lab = resolveGrpoConfig('clip-lab');
  assert.deepEqual([lab.optimizer, lab.lr, lab.maxGradNorm, lab.promptsPerRollout, lab.minibatches, lab.stdEps],
    ['sgd', 0.5, null, 8, 8, 1e-6]);
  for (const name of Object.keys(PRESETS)) assert.ok(Object.isFrozen(resolveGrpoConfig(name)), name);
});

test('overrides apply on top of the preset and DEFAULTS stays untouched', () => {
  const c = resolveGrpoConfig('dapo', { epsHigh: 0.25, dualClip: 3 });
  assert.equal(c.epsHigh, 0.25);
  assert.equal(c.dualClip, 3);
  assert.equal(c.filterZeroVariance, true);
  assert.equal(DEFAULTS.epsHigh, 0.2);
});

test('unknown preset and unknown key name the closest valid one', () => {
  assert.throws(() => resolveGrpoConfig('authers'), /preset "authers" is not defined \(did you mean "authors"\?\); known: authors, trl-default/);
  assert.throws(() => resolveGrpoConfig('authors', { epsHihg: 0.3 }), /unknown key "epsHihg" \(did you mean "epsHigh"\?\)/);
  assert.throws(() => resolveGrpoConfig('authors', { clip_ratio: 0.3 }), /unknown key "clip_ratio"/);
});

test('wrong types and unknown variant names are refused, naming the field', () => {
  assert.throws(() => resolveGrpoConfig('authors', { epsLow: '0.2' }), /epsLow must be a finite number, received "0.2"/);
  assert.throws(() => resolveGrpoConfig('authors', { whitenGlobally: 1 }), /whitenGlobally must be a boolean/);
  assert.throws(() => resolveGrpoConfig('authors', { minibatches: 2.5 }), /minibatches must be an integer/);
  assert.throws(() => resolveGrpoConfig('authors', { maxGradNorm: NaN }), /maxGradNorm must be a finite number or null/);
  assert.throws(() => resolveGrpoConfig('authors', { aggregation: 'token_mean' }), /aggregation must be one of .*\(did you mean "token-mean"\?\)/);
  assert.throws(() => resolveGrpoConfig('authors', { policyLoss: 'vanilla' }), /policyLoss must be one of ppo_clip, gspo, no_clip/);
});

test('contradictory or out-of-range combinations fail with the fix', () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ lossNormaliser: 1024 }, /lossNormaliser is 1024 but aggregation is "micro-batch-token-mean"/],
    [{ policyLoss: 'no_clip', dualClip: 3 }, /dualClip is 3 but policyLoss is "no_clip"/],
    [{ dualClip: 1 }, /dual-clip constant c must be > 1/],
    [{ minibatches: 3 }, /1024 responses does not split into 3 equal minibatches/],
    [{ microBatchSize: 3 }, /minibatches of 128 responses do not split into micro-batches of microBatchSize 3/],
    [{ epsLow: 1 }, /epsLow is 1; it must lie in \[0, 1\)/],
    [{ klCoef: -0.1 }, /klCoef is -0.1/],
    [{ groupSize: 1 }, /groupSize is 1/],
    [{ adamBeta2: 1 }, /adamBeta2 is 1/],
    [{ maxGradNorm: 0 }, /maxGradNorm is 0/],
  ];
  for (const [o, re] of bad) assert.throws(() => resolveGrpoConfig('authors', o), re, JSON.stringify(o));
  // The same normaliser is fine with the aggregation that uses it.
  assert.equal(resolveGrpoConfig('authors', { aggregation: 'seq-mean-token-sum-norm', lossNormaliser: 1024 }).lossNormaliser, 1024);
});

test('sgdMomentum: in [0, 1), and only with the sgd optimizer', () => {
  assert.equal(resolveGrpoConfig('authors', { optimizer: 'sgd', sgdMomentum: 0.9 }).sgdMomentum, 0.9);
  assert.equal(resolveGrpoConfig('authors').sgdMomentum, 0);
  assert.throws(() => resolveGrpoConfig('authors', { optimizer: 'sgd', sgdMomentum: 1 }), /sgdMomentum is 1; it must lie in \[0, 1\)/);
  assert.throws(() => resolveGrpoConfig('authors', { sgdMomentum: 0.9 }), /momentum applies to sgd only/);
});
