// grpo.md §5.6 acceptance, items 2–4, on the clipping-bias laboratory: one rollout batch from a
// 0.65/0.35 prior, Bernoulli(0.5) rewards, 8 groups × G 16, M = 8 minibatches, SGD lr 0.5
// (preset clip-lab), 20,000 seeds as the batch dimension (as §5.5a), common random numbers between arms.
// Reference (grpo.md §5.5a, 20,000 seeds): paired drift +0.0161 (0.0010) at ε 0.2/0.2,
// −0.0069 (0.0009) at 0.2/0.28; no-clip drift 0 within error; M = 1 exactly 0.
// wasm backend: these shapes are element-wise ops on ~10^5-element tensors, where wasm's SIMD
// kernels run the whole rollout batch about 3× faster than the plain-JS cpu backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/tensor';
import {
  meanInterval, pairedDifference, resolveGrpoConfig, runBandit, softmaxRows, type BanditRolloutResult, type GrpoAlgoConfig,
} from '../../lib/grpo';

const SEEDS = 20_000;
const setup = { seeds: SEEDS, prior: [0.65, 0.35], rewardProb: 0.5, seed: 20260611, rolloutBatches: 1 };

const cache = new Map<string, BanditRolloutResult>();
async function arm(overrides: Partial<GrpoAlgoConfig>, seeds = SEEDS): Promise<BanditRolloutResult> {
  const key = JSON.stringify([overrides, seeds]);
  const hit = cache.get(key);
  if (hit) return hit;
  await initBackend({ backend: 'wasm' });
  const r = runBandit({ ...setup, seeds }, resolveGrpoConfig('clip-lab', overrides)).rollouts[0];
  cache.set(key, r);
  return r;
}

const drift = (r: BanditRolloutResult): Float64Array => pairedDifference(r.logOddsAfter, r.logOddsBefore);
const clipFrac = (r: BanditRolloutResult): number => r.steps.reduce((s, m) => s + m.clipFracLow + m.clipFracHigh, 0) / r.steps.length;
const fmt = (ci: { mean: number; se: number; lo: number; hi: number }): string =>
  `${ci.mean.toFixed(5)} (se ${ci.se.toFixed(5)}; 95% [${ci.lo.toFixed(5)}, ${ci.hi.toFixed(5)}])`;

test('symmetric ε 0.2: positive paired drift of the mode (≈ +0.016), CI excludes 0; clip fraction ≈ 1.7 %', async (t) => {
  const clip = await arm({});
  const free = await arm({ policyLoss: 'no_clip' });
  const paired = meanInterval(pairedDifference(drift(clip), drift(free)));
  t.diagnostic(`paired drift clip − no-clip: ${fmt(paired)}; clip fraction ${clipFrac(clip).toFixed(4)}`);
  assert.ok(paired.lo > 0, `95% interval must exclude 0: ${fmt(paired)}`);
  assert.ok(paired.mean > 0.010 && paired.mean < 0.022, `mean ${paired.mean} should be near +0.016`);
  assert.ok(clipFrac(clip) > 0.012 && clipFrac(clip) < 0.022, `clip fraction ${clipFrac(clip)}`);
  // Common random numbers: the arms see the same samples, so their first step is identical.
  assert.equal(clip.steps[0].loss, free.steps[0].loss);
  assert.deepEqual(clip.logOddsBefore, free.logOddsBefore);
});

test('clipping off: drift is 0 within noise (the K = 2 log-odds is a martingale under SGD)', async (t) => {
  const free = await arm({ policyLoss: 'no_clip' });
  const ci = meanInterval(drift(free));
  t.diagnostic(`no-clip drift: ${fmt(ci)}`);
  assert.ok(ci.lo < 0 && ci.hi > 0, `95% interval must include 0: ${fmt(ci)}`);
  assert.ok(free.steps.every((m) => m.clipFracLow === 0 && m.clipFracHigh === 0));
});

test('ε_h 0.28 (ε_l 0.2): the drift reverses, CI below 0', async (t) => {
  const high = await arm({ epsHigh: 0.28 });
  const free = await arm({ policyLoss: 'no_clip' });
  const paired = meanInterval(pairedDifference(drift(high), drift(free)));
  t.diagnostic(`paired drift clip 0.2/0.28 − no-clip: ${fmt(paired)}; clip fraction ${clipFrac(high).toFixed(4)}`);
  assert.ok(paired.hi < 0, `95% interval must lie below 0: ${fmt(paired)}`);
});

test('M = 1 (one step per rollout batch): ratio ≡ 1, so clipped and unclipped arms agree exactly', async (t) => {
  const clip = await arm({ minibatches: 1 }, 1000);
  const free = await arm({ minibatches: 1, policyLoss: 'no_clip' }, 1000);
  const diff = pairedDifference(drift(clip), drift(free));
  t.diagnostic(`M = 1 paired drift: max |diff| ${Math.max(...Array.from(diff, Math.abs))} over 1000 seeds`);
  assert.ok(diff.every((d) => d === 0), 'every seed moves identically');
  assert.equal(clip.steps.length, 1);
  assert.equal(clip.steps[0].ratioMaxAbsDev, 0);
  assert.ok(drift(clip).some((d) => d !== 0), 'the policy did move');
});

test('first minibatch of a rollout: ratio exactly 1 and nothing clipped; later minibatches move off 1', async () => {
  const clip = await arm({});
  const first = clip.steps[0];
  assert.deepEqual([first.ratioMaxAbsDev, first.ratioMin, first.ratioMax, first.clipFracLow, first.clipFracHigh], [0, 1, 1, 0, 0]);
  assert.equal(clip.steps.length, 8);
  for (const later of clip.steps.slice(1)) assert.ok(later.ratioMaxAbsDev > 0);
  assert.ok(clip.steps.slice(1).some((m) => m.clipFracLow + m.clipFracHigh > 0), 'clipping binds after the first step');
});

test('§5.6 item 4 (shortened to 30 rollout batches, 1,000 seeds): clipping raises the mean π of the mode, no clipping does not', async (t) => {
  await initBackend({ backend: 'wasm' });
  const long = { ...setup, seeds: 1000, rolloutBatches: 30 };
  const pTop = (logits: Float32Array): Float64Array => Float64Array.from({ length: 1000 }, (_, s) => softmaxRows(logits.subarray(2 * s, 2 * s + 2), 2)[0]);
  const clip = pTop(runBandit(long, resolveGrpoConfig('clip-lab')).finalLogits);
  const free = pTop(runBandit(long, resolveGrpoConfig('clip-lab', { policyLoss: 'no_clip' })).finalLogits);
  const paired = meanInterval(pairedDifference(clip, free));
  const freeCi = meanInterval(free);
  t.diagnostic(`mean π_top after 30: clip ${fmt(meanInterval(clip))}, no-clip ${fmt(freeCi)}, paired ${fmt(paired)}`);
  assert.ok(paired.lo > 0, `paired π_top difference must exclude 0: ${fmt(paired)}`);
  assert.ok(meanInterval(clip).lo > 0.65, 'with clipping the mode gains on the 0.65 prior');
  assert.ok(freeCi.lo < 0.65, 'without clipping it does not');
});
