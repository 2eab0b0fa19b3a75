import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeFailure, probeSpec, TUNING_RULE, type ProbeResult } from '../../lib/grid';

const probe = (arm: string, clip: number, collapsed = false): ProbeResult => ({ lr: 0.07, arm, seed: 101, clipFirstToken: clip, collapsed, collapsedAt: collapsed ? 25 : null });

test('the tuning rule probes the random and the ground-truth arms, on probe seeds that are never evaluation seeds', () => {
  assert.deepEqual(TUNING_RULE.probeArms, ['random', 'ground-truth']);
  assert.ok(TUNING_RULE.probeSeeds.every((s) => s > 25), 'the full grid evaluates seeds 1-25');
  const r = probeSpec('bad-code', 0.05, TUNING_RULE);
  const g = probeSpec('bad-code', 0.05, TUNING_RULE, 'ground-truth');
  assert.equal(r.name, 'tune-bad-code-lr0.05', 'the random probes keep their first name, so earlier probe runs are reused');
  assert.equal(g.name, 'tune-bad-code-lr0.05-ground-truth');
  assert.deepEqual(g.arms.map((a) => a.name), ['ground-truth']);
  assert.deepEqual(g.lr, { 'bad-code': 0.05 });
  assert.ok(!('organismRoot' in r), 'probes of the shipped organisms name none, so their earlier grid.json files still match');
  assert.equal(probeSpec('bad-code', 0.05, TUNING_RULE, 'random', '/x/organisms-sharp12').organismRoot, '/x/organisms-sharp12');
});

test('probeFailure: the clip criterion reads the random probes only; a collapse in any probe arm fails the candidate', () => {
  assert.equal(probeFailure([probe('random', 0.02), probe('random', 0.03)], TUNING_RULE), null);
  assert.match(probeFailure([probe('random', 0.02), probe('random', 0.05)], TUNING_RULE) ?? '', /random probes: mean first-token clip 3\.50% > 3%/);
  // Ground truth clips more (its advantages are not random) and that is not what the rule bounds.
  assert.equal(probeFailure([probe('ground-truth', 0.11), probe('ground-truth', 0.1)], TUNING_RULE), null);
  assert.equal(probeFailure([probe('ground-truth', 0.01), probe('ground-truth', 0.01, true)], TUNING_RULE), '1 ground-truth probes collapsed');
  assert.equal(probeFailure([probe('random', 0.01, true)], TUNING_RULE), '1 random probes collapsed');
  assert.equal(probeFailure([], TUNING_RULE), 'no probes');
});
