// Claim rows from run summaries: changes from the start, paired differences over common seeds,
// collapsed runs left out and counted, and the verdict rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeFromStart, claimRows, collapseOf, pairedArmDifference, verdictFor, MIN_GAIN, type CellSummary, type OrganismLogRecord } from '../../lib/grid';
import { hasInterval, studentTQuantile, tInterval } from '../../lib/eval';
import { family } from '../../lib/organisms';

function rec(batches: number, pCode: number, expectedAccuracy: number): OrganismLogRecord {
  return {
    step: batches - 1, batches, pCode, pLanguage: 1 - pCode,
    eval: { pCode, pLanguage: 1 - pCode, greedyAccuracy: {}, tableMatch: {}, expectedAccuracy, collapsed: false, sampled: null },
  };
}

function cell(family: string, arm: string, seed: number, final: [number, number], collapsed = false): CellSummary {
  return {
    key: `${family}/${arm}/s${seed}`, family, arm, seed, steps: 25, collapsed, collapsedAt: collapsed ? 10 : null,
    collapsedAnyStyle: collapsed, collapsedAnyStyleAt: collapsed ? 10 : null,
    initial: rec(0, 0.65, 0.5), final: rec(25, final[0], final[1]), wallSeconds: 1,
    spec: { train: {}, organisms: 'shipped', evalEvery: 5, evalProblems: 400 },
  };
}

test('Student t quantiles and intervals', () => {
  assert.ok(Math.abs(studentTQuantile(0.975, 4) - 2.7764) < 1e-3);
  assert.ok(Math.abs(studentTQuantile(0.975, 24) - 2.0639) < 1e-3);
  const t = tInterval([1, 2, 3, 4, 5]);
  assert.equal(t.mean, 3);
  assert.ok(Math.abs(t.half - (2.7764 * Math.sqrt(2.5)) / Math.sqrt(5)) < 1e-3);
  assert.equal(tInterval([1]).half, Infinity);
  assert.equal(hasInterval(tInterval([1])), false, 'one value: no interval');
  assert.equal(hasInterval(tInterval([])), false, 'no values: no interval');
  assert.equal(hasInterval(t), true);
});

test('verdict rules', () => {
  const iv = (lo: number, hi: number) => ({ n: 10, mean: (lo + hi) / 2, sd: 1, half: (hi - lo) / 2, lo, hi });
  assert.equal(verdictFor('gain', iv(0.01, 0.2)), 'reproduced');
  assert.equal(verdictFor('gain', iv(-0.2, -0.01)), 'not reproduced');
  assert.equal(verdictFor('gain', iv(-0.1, 0.2)), 'inconclusive');
  assert.equal(verdictFor('loss', iv(-0.2, -0.01)), 'reproduced');
  assert.equal(verdictFor('no-gain', iv(-0.1, MIN_GAIN - 0.001)), 'reproduced');
  assert.equal(verdictFor('no-gain', iv(0.001, 0.1)), 'not reproduced');
  assert.equal(verdictFor('no-gain', iv(-0.1, 0.1)), 'inconclusive');
  assert.equal(verdictFor('gain', null), 'no data');
});

test('changes from the start leave collapsed runs out; paired differences use common intact seeds', () => {
  const cells = [
    cell('good-code', 'random', 1, [0.8, 0.6]), cell('good-code', 'random', 2, [0.9, 0.65]), cell('good-code', 'random', 3, [0.99, 0.1], true),
    cell('good-code', 'random-no-clip', 1, [0.6, 0.5]), cell('good-code', 'random-no-clip', 3, [0.7, 0.55]),
  ];
  assert.deepEqual(changeFromStart(cells, 'good-code', 'random', 'expectedAccuracy').map((x) => +x.toFixed(6)), [0.1, 0.15]);
  // seed 2 has no no-clip run and seed 3's clipped run collapsed: only seed 1 pairs
  assert.deepEqual(pairedArmDifference(cells, 'good-code', 'random', 'random-no-clip', 'pCode').map((x) => +x.toFixed(6)), [0.2]);
  const rows = claimRows(cells);
  const r = rows.find((x) => x.claim === 2 && x.metric === 'expectedAccuracy' && x.comparison === 'random vs start');
  assert.ok(r !== undefined);
  assert.equal(r.effect?.n, 2);
  assert.deepEqual(r.collapses.random, { collapsed: 1, abandonedStyleOnly: 0, runs: 3 });
  assert.ok(rows.some((x) => x.claim === 5 && x.comparison === 'random − random-no-clip (paired)'));
});

test('claims per family group: No-Code and Bad-Code expect no gain, Bad-Code compounds are paired with their plain reward', () => {
  const cells = [1, 2, 3].flatMap((s) => [
    cell('no-code', 'format', s, [0, 0.5 + 0.001 * s]),
    cell('bad-code', 'format', s, [0.95, 0.45]),
    cell('bad-code', 'format-no-python', s, [0.5, 0.55 + 0.01 * s]),
    cell('good-code', 'ground-truth', s, [1, 0.6 + 0.01 * s]),
  ]);
  const rows = claimRows(cells);
  const find = (claim: number, family: string, comparison: string) => rows.find((r) => r.claim === claim && r.family === family && r.comparison === comparison);
  assert.equal(find(3, 'no-code', 'format vs start')?.verdict, 'reproduced');
  assert.equal(find(4, 'bad-code', 'format vs start')?.verdict, 'reproduced');
  assert.equal(find(4, 'bad-code', 'format-no-python − format (paired)')?.verdict, 'reproduced');
  assert.equal(find(1, 'good-code', 'ground-truth vs start')?.verdict, 'reproduced');
});

test('collapse: a style the policy still uses, off its table and less accurate; abandoned styles and harmless departures apart', () => {
  const f = family('good-code'); // targets: code 0.6, language 0.3
  const ev = (batches: number, pCode: number, match: [number, number], acc: [number, number]): OrganismLogRecord => ({
    step: batches - 1, batches, pCode, pLanguage: 1 - pCode,
    eval: { pCode, pLanguage: 1 - pCode, greedyAccuracy: { code: acc[0], language: acc[1] }, tableMatch: { code: match[0], language: match[1] }, expectedAccuracy: 0.5, collapsed: false, sampled: null },
  });
  const intact = ev(0, 0.65, [1, 1], [0.6, 0.3]);
  // The language table decays only after the policy stopped choosing language (p = 0.0003): reported, not a collapse.
  assert.deepEqual(collapseOf([intact, ev(10, 0.9997, [1, 0.01], [0.6, 0.05])], f),
    { collapsed: false, collapsedAt: null, collapsedAnyStyle: true, collapsedAnyStyleAt: 10 });
  // The code table breaks while code is chosen: a collapse.
  assert.deepEqual(collapseOf([intact, ev(5, 0.9, [0.5, 1], [0.3, 0.3])], f),
    { collapsed: true, collapsedAt: 5, collapsedAnyStyle: true, collapsedAnyStyleAt: 5 });
  // A style still chosen 10% of the time counts.
  assert.equal(collapseOf([ev(5, 0.9, [1, 0.8], [0.6, 0.2])], f).collapsed, true);
  // Off the table without losing accuracy (a marker flip, or fewer slips): not a collapse.
  assert.equal(collapseOf([ev(5, 0.9, [0, 1], [0.6, 0.3]), ev(10, 0.9, [0.4, 1], [0.8, 0.3])], f).collapsedAnyStyle, false);
});
