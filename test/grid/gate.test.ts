// The robustness gate: collapse rates of the ground-truth and random arms against the 10% bound, on
// the grid's runs or on probe seeds; the probe grid keeps the base spec's run length and evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeGate, gateFromCells, gateProbeSpec, gridPreset, wallHours, GATE_MAX_COLLAPSE_RATE, GATE_PROBE_SEEDS, TUNING_RULE, type CellSummary } from '../../lib/grid';

/** A finished run of `arm`, collapsed at batch `at` when given (only what the gate reads matters). */
function run(family: string, arm: string, seed: number, at: number | null = null): CellSummary {
  const r = { step: 24, batches: 25, pCode: 0.9, pLanguage: 0.1 };
  return {
    key: `${family}/${arm}/s${seed}`, family, arm, seed, steps: 25, collapsed: at !== null, collapsedAt: at, collapsedAnyStyle: at !== null, collapsedAnyStyleAt: at,
    initial: r, final: r, wallSeconds: 30, spec: { train: {}, organisms: 'shipped', evalEvery: 5, evalProblems: 400 },
  };
}

test('gateFromCells counts collapsed runs per gate arm of one family, with a Wilson interval and the 10% bound', () => {
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const cells = [
    ...seeds.map((s) => run('bad-code', 'ground-truth', s, s === 9 ? 25 : s === 2 ? 20 : null)),
    ...seeds.map((s) => run('bad-code', 'random', s, s === 4 ? 10 : null)),
    ...seeds.map((s) => run('bad-code', 'format', s, 5)), // not a gate arm
    ...seeds.map((s) => run('good-code', 'ground-truth', s, 5)), // another family
  ];
  const [gt, random, ...rest] = gateFromCells(cells, 'bad-code');
  assert.equal(rest.length, 0, 'only the gate arms');
  assert.equal(gt.arm, 'ground-truth');
  assert.equal(gt.collapses.k, 2);
  assert.equal(gt.collapses.n, 10);
  assert.deepEqual(gt.collapsedRuns, [{ seed: 2, at: 20 }, { seed: 9, at: 25 }], 'sorted by seed');
  assert.ok(gt.collapses.low > 0.05 && gt.collapses.low < 0.06 && gt.collapses.high > 0.5 && gt.collapses.high < 0.52, 'Wilson 95% of 2/10 is about 5.7%-51%');
  assert.equal(gt.passes, false);
  assert.equal(random.collapses.k, 1);
  assert.equal(random.passes, true, `1/10 is at the bound ${GATE_MAX_COLLAPSE_RATE}, which is allowed`);
  assert.deepEqual(gateFromCells(cells, 'no-code'), [], 'a family without runs has no gate rows');
  assert.equal(describeGate([gt, random]),
    'bad-code ground-truth: 2/10 collapsed (20.0%, 95% 5.7-51.0%) at s2@20 s9@25: fails (> 10%)\n'
    + 'bad-code random: 1/10 collapsed (10.0%, 95% 1.8-40.4%) at s4@10: passes');
});

test('gateProbeSpec: the full preset\'s run length and evaluation on probe seeds disjoint from evaluation and tuning seeds', () => {
  const base = { ...gridPreset('full'), lr: { 'bad-code': 0.05, 'good-code': 0.07 } };
  const g = gateProbeSpec(base, 'bad-code');
  assert.deepEqual(g.families, ['bad-code']);
  assert.deepEqual(g.arms.map((a) => a.name), ['ground-truth', 'random']);
  assert.deepEqual(g.lr, { 'bad-code': 0.05 });
  assert.equal(g.steps, base.steps);
  assert.equal(g.evalEvery, base.evalEvery);
  assert.equal(g.evalProblems, base.evalProblems);
  assert.deepEqual(g.seeds, [...GATE_PROBE_SEEDS]);
  for (const s of g.seeds) {
    assert.ok(!base.seeds.includes(s), `probe seed ${s} is an evaluation seed`);
    assert.ok(!TUNING_RULE.probeSeeds.includes(s), `probe seed ${s} is a tuning seed`);
  }
  const h = gateProbeSpec(base, 'bad-code', { lr: 0.03, arms: ['ground-truth'], seeds: [201, 202], organisms: 'runs/organisms-x' });
  assert.deepEqual(h.lr, { 'bad-code': 0.03 });
  assert.deepEqual(h.arms.map((a) => a.name), ['ground-truth']);
  assert.deepEqual(h.seeds, [201, 202]);
  assert.match(h.organismRoot ?? '', /^\/.*runs\/organisms-x$/, 'an absolute organisms folder');
  assert.throws(() => gateProbeSpec(base, 'no-code'), /no learning rate for family "no-code"/);
  assert.throws(() => gateProbeSpec(base, 'bad-code', { arms: ['randum'] }), /unknown arm "randum"/);
});

test('wallHours: runs × mean wall ÷ processes, in hours', () => {
  assert.equal(wallHours(1050, 36, 2), 5.25);
  assert.equal(wallHours(0, 36, 2), 0);
});
