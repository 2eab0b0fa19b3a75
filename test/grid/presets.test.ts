// The presets are fixed before their outcomes (docs/organisms.md): the acceptance grid's size, and the
// secondary run length as a subset of its cells that differs only in length, so its arms stay paired
// with the primary's by seed and a long run is never mistaken for a primary one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellSpec, gridCells, gridPreset, sameCellSpec } from '../../lib/grid';

const LR = { 'good-code': 0.07, 'good-code-small': 0.03, 'bad-code': 0.05, 'no-code': 0.1 };

test('the full preset is the 1,050 runs README.md and docs/organisms.md describe, each cell once', () => {
  const cells = gridCells({ ...gridPreset('full'), lr: LR });
  assert.equal(cells.length, 1050);
  assert.equal(new Set(cells.map((c) => c.key)).size, cells.length);
  assert.equal(gridPreset('full').steps, 25);
});

test('the long preset: Good-Code ground truth and random with and without clip, 25 seeds, 100 batches, paired with full', () => {
  const long = { ...gridPreset('long'), lr: LR };
  const full = { ...gridPreset('full'), lr: LR };
  const cells = gridCells(long);
  assert.equal(cells.length, 75);
  assert.deepEqual([...new Set(cells.map((c) => c.arm.name))], ['ground-truth', 'random', 'random-no-clip']);
  assert.deepEqual([...new Set(cells.map((c) => c.family))], ['good-code']);
  assert.equal(long.steps, 4 * full.steps);
  assert.deepEqual(long.seeds, full.seeds, 'the same seeds, so long and primary runs pair by seed');
  const fullByKey = new Map(gridCells(full).map((c) => [c.key, c]));
  for (const c of cells) {
    const twin = fullByKey.get(c.key);
    assert.ok(twin !== undefined, `${c.key} is a cell of the full grid too`);
    // full narrows some arms to Good-Code; long has only Good-Code, so the family lists may differ
    assert.deepEqual({ ...c.arm, families: undefined }, { ...twin.arm, families: undefined }, `${c.key}: the same reward and trainer as the primary`);
    const a = cellSpec(long, c);
    const b = cellSpec(full, twin);
    assert.ok(!sameCellSpec(a, b), `${c.key}: a long run is never reused as a primary one`);
    assert.deepEqual({ ...a.train, steps: 0 }, { ...b.train, steps: 0 }, `${c.key}: only the length differs in training`);
  }
});
