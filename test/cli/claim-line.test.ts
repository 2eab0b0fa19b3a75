// claimLine: the console line `rlvr grid collect` and `rlvr reproduce` print per claim row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimLine } from '../../lib/cli/grid';
import { tInterval } from '../../lib/eval';
import type { ClaimRow } from '../../lib/grid';

const row = (effect: ClaimRow['effect']): ClaimRow => ({
  claim: 2, statement: 'random raises code', family: 'good-code', comparison: 'random vs start', metric: 'pCode', expect: 'gain',
  effect, collapses: { random: { collapsed: 1, abandonedStyleOnly: 0, runs: 3 } }, verdict: 'inconclusive', paper: '+21.4',
});

test('claimLine: mean, interval and n; collapses per arm; the verdict', () => {
  const e = tInterval([0.1, 0.2, 0.3]);
  assert.equal(
    claimLine(row(e)),
    `claim 2 good-code: random raises code (pCode, random vs start): +0.200 [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}] n=3 -> inconclusive; collapsed random 1/3\n`,
  );
});

test('claimLine: one run has no interval and says so instead of printing infinite bounds; no runs says so', () => {
  const one = claimLine(row(tInterval([-0.05])));
  assert.match(one, /: -0\.050 n=1 \(no interval\) -> /);
  assert.doesNotMatch(one, /Infinity/);
  assert.match(claimLine(row(null)), /: no runs -> /);
});
