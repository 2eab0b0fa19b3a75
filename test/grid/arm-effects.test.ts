// Arm effects over seeds for any metric: per-seed values, collapsed runs left out and counted, paired
// differences over the seeds both arms ran intact, agreement with claims.ts on the claims' metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  armEffect, armRunValues, changeFromStart, collapseCount, intactTrajectories, pairedArmDifference, pairedRunValues, RUN_METRICS,
  type CellSummary, type OrganismLogRecord, type TrajectoryRow,
} from '../../lib/grid';
import { tInterval } from '../../lib/eval';
import type { Proportion } from '../../lib/eval';

const prop = (rate: number, n = 400): Proportion => ({ k: Math.round(rate * n), n, rate, low: rate, high: rate });

function rec(batches: number, pCode: number, expectedAccuracy: number, loops: number | null = 0.03, clip?: number): OrganismLogRecord {
  return {
    step: batches - 1, batches, pCode, pLanguage: 1 - pCode,
    ...(clip === undefined ? {} : { clipFirstToken: clip, gradNorm: 2 * clip }),
    eval: {
      pCode, pLanguage: 1 - pCode, greedyAccuracy: { code: 0.6, language: 0.3 }, tableMatch: { code: 1, language: 1 }, expectedAccuracy, collapsed: false,
      sampled: loops === null ? null : {
        n: 400, codeFrequency: prop(pCode), accuracy: prop(expectedAccuracy), accuracyCode: prop(0.6), accuracyLanguage: prop(0.3),
        boxed: prop(0.8), loops: prop(loops), other: prop(0),
      },
    },
  };
}

function cell(arm: string, seed: number, final: OrganismLogRecord, opts: { collapsed?: boolean; anyStyle?: boolean; family?: string } = {}): CellSummary {
  const collapsed = opts.collapsed ?? false;
  return {
    key: `${opts.family ?? 'good-code'}/${arm}/s${seed}`, family: opts.family ?? 'good-code', arm, seed, steps: 25,
    collapsed, collapsedAt: collapsed ? 10 : null, collapsedAnyStyle: collapsed || (opts.anyStyle ?? false), collapsedAnyStyleAt: collapsed || opts.anyStyle ? 10 : null,
    initial: rec(0, 0.65, 0.5, 0.05), final, wallSeconds: 1,
    spec: { train: {}, organisms: 'shipped', evalEvery: 5, evalProblems: 400 },
  };
}

// Seeds listed out of order on purpose; random s3 collapsed; no-clip lacks seed 2 and its s4 collapsed.
const CELLS: CellSummary[] = [
  cell('random', 2, rec(25, 0.9, 0.6, 0.01, 0.02)),
  cell('random', 1, rec(25, 0.8, 0.55, 0.02, 0.01)),
  cell('random', 3, rec(25, 0.99, 0.2, 0.0, 0.05), { collapsed: true }),
  cell('random', 4, rec(25, 0.7, 0.52, 0.04, 0.01), { anyStyle: true }),
  cell('random-no-clip', 1, rec(25, 0.6, 0.45, 0.05, 0)),
  cell('random-no-clip', 3, rec(25, 0.5, 0.4, 0.06, 0)),
  cell('random-no-clip', 4, rec(25, 0.4, 0.1, 0.2, 0), { collapsed: true }),
  cell('random', 1, rec(25, 0.1, 0.4, 0.0, 0.01), { family: 'bad-code' }),
];

const rounded = (xs: { seed: number; value: number }[]) => xs.map((x) => ({ seed: x.seed, value: +x.value.toFixed(9) }));

test('per-seed values: collapsed runs left out (or kept on request), sorted by seed, other families ignored', () => {
  assert.deepEqual(rounded(armRunValues(CELLS, 'good-code', 'random', 'pCode', 'final')), [{ seed: 1, value: 0.8 }, { seed: 2, value: 0.9 }, { seed: 4, value: 0.7 }]);
  assert.deepEqual(armRunValues(CELLS, 'good-code', 'random', 'pCode', 'final', true).map((x) => x.seed), [1, 2, 3, 4]);
  // change from the start: final − initial of the same run (initial pCode 0.65, loops 0.05)
  assert.deepEqual(rounded(armRunValues(CELLS, 'good-code', 'random', 'pCode', 'change')), [{ seed: 1, value: 0.15 }, { seed: 2, value: 0.25 }, { seed: 4, value: 0.05 }]);
  assert.deepEqual(rounded(armRunValues(CELLS, 'good-code', 'random', 'sampledLoops', 'change')), [{ seed: 1, value: -0.03 }, { seed: 2, value: -0.04 }, { seed: 4, value: -0.01 }]);
  assert.deepEqual(armRunValues(CELLS, 'good-code', 'ground-truth', 'pCode', 'final'), []);
});

test('runs that did not measure a metric are left out: no sample at the end, no clip fraction at batch 0', () => {
  const cells = [cell('random', 1, rec(25, 0.8, 0.55, null, 0.01)), cell('random', 2, rec(25, 0.9, 0.6, 0.01, 0.02))];
  assert.deepEqual(armRunValues(cells, 'good-code', 'random', 'sampledLoops', 'final').map((x) => x.seed), [2]);
  assert.deepEqual(rounded(armRunValues(cells, 'good-code', 'random', 'clipFirstToken', 'final')), [{ seed: 1, value: 0.01 }, { seed: 2, value: 0.02 }]);
  assert.deepEqual(armRunValues(cells, 'good-code', 'random', 'clipFirstToken', 'change'), [], 'the initial record has no clip fraction');
});

test('a rate read back from JSON as null (n = 0) is not a value', () => {
  const r = rec(25, 0.8, 0.55);
  const sampled = r.eval?.sampled;
  assert.ok(sampled);
  sampled.loops = { ...sampled.loops, rate: null as unknown as number };
  assert.equal(RUN_METRICS.sampledLoops(r), null);
  assert.equal(RUN_METRICS.sampledAccuracy(r), 0.55);
  assert.equal(RUN_METRICS.forcedCodeAccuracy(r), 0.6);
  assert.equal(RUN_METRICS.gradNorm(rec(3, 0.7, 0.5, 0.03, 0.25)), 0.5);
});

test('paired differences use the seeds where both arms ran intact', () => {
  // random intact: 1, 2, 4; no-clip intact: 1, 3 -> only seed 1 pairs
  assert.deepEqual(rounded(pairedRunValues(CELLS, 'good-code', 'random', 'random-no-clip', 'pCode')), [{ seed: 1, value: 0.2 }]);
  assert.deepEqual(rounded(pairedRunValues(CELLS, 'good-code', 'random', 'random-no-clip', 'expectedAccuracy', 'change')), [{ seed: 1, value: 0.1 }]);
});

test('on the claims\' metrics the values equal claims.ts changeFromStart and pairedArmDifference', () => {
  for (const m of ['pCode', 'expectedAccuracy', 'sampledAccuracy'] as const) {
    const mine = armRunValues(CELLS, 'good-code', 'random', m, 'change').map((x) => x.value).sort();
    assert.deepEqual(mine, changeFromStart(CELLS, 'good-code', 'random', m).sort(), m);
    const paired = pairedRunValues(CELLS, 'good-code', 'random', 'random-no-clip', m).map((x) => x.value).sort();
    assert.deepEqual(paired, pairedArmDifference(CELLS, 'good-code', 'random', 'random-no-clip', m).sort(), m);
  }
});

test('armEffect: the t interval over the per-seed values, with each arm\'s collapse count', () => {
  const e = armEffect(CELLS, { family: 'good-code', arm: 'random', metric: 'expectedAccuracy' });
  assert.equal(e.of, 'change');
  assert.equal(e.versus, null);
  assert.deepEqual(e.values.map((v) => v.seed), [1, 2, 4]);
  const t = tInterval([0.05, 0.1, 0.02]);
  assert.ok(e.effect !== null);
  assert.ok(Math.abs(e.effect.mean - t.mean) < 1e-12 && Math.abs(e.effect.lo - t.lo) < 1e-12 && Math.abs(e.effect.hi - t.hi) < 1e-12);
  assert.deepEqual(e.collapses, { random: { collapsed: 1, abandonedStyleOnly: 1, runs: 4 } });

  const p = armEffect(CELLS, { family: 'good-code', arm: 'random', versus: 'random-no-clip', metric: 'pCode' });
  assert.equal(p.of, 'final');
  assert.equal(p.effect?.n, 1);
  assert.equal(p.effect?.hi, Infinity, 'one pair: no finite interval');
  assert.deepEqual(Object.keys(p.collapses), ['random', 'random-no-clip']);
  assert.deepEqual(p.collapses['random-no-clip'], { collapsed: 1, abandonedStyleOnly: 0, runs: 3 });

  const custom = armEffect(CELLS, { family: 'good-code', arm: 'random', metric: { name: 'pCode squared', read: (r) => r.pCode ** 2 }, of: 'final' });
  assert.equal(custom.metric, 'pCode squared');
  assert.ok(Math.abs((custom.effect?.mean ?? NaN) - (0.64 + 0.81 + 0.49) / 3) < 1e-12);

  assert.equal(armEffect(CELLS, { family: 'no-code', arm: 'random', metric: 'pCode' }).effect, null);
});

test('collapse counts and intact trajectories', () => {
  assert.deepEqual(collapseCount(CELLS, 'good-code', 'random-no-clip'), { collapsed: 1, abandonedStyleOnly: 0, runs: 3 });
  assert.deepEqual(collapseCount(CELLS, 'good-code', 'python'), { collapsed: 0, abandonedStyleOnly: 0, runs: 0 });
  const row = (arm: string, seed: number, family = 'good-code'): TrajectoryRow => ({
    family, arm, seed, batches: 1, pCode: 0.7, pLanguage: 0.3, rolloutAccuracy: null, rolloutCode: null, rewardMean: null, clipFirstToken: null,
    expectedAccuracy: null, matchCode: null, matchLanguage: null, greedyAccuracyCode: null, greedyAccuracyLanguage: null,
    sampledAccuracy: null, sampledCode: null, sampledBoxed: null, sampledLoops: null,
  });
  const rows = [row('random', 1), row('random', 3), row('random-no-clip', 4), row('random-no-clip', 3), row('random', 3, 'bad-code')];
  assert.deepEqual(intactTrajectories(CELLS, rows).map((r) => `${r.family}/${r.arm}/${r.seed}`), ['good-code/random/1', 'good-code/random-no-clip/3', 'bad-code/random/3']);
});
