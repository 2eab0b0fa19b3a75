// A cell's spec names its organism by a digest of the organism's weights and majority-vote labels, so a
// rebuilt organism reruns its cells instead of reusing runs made with the old one; settings compare
// whatever the order of their keys (runs collected before the digest existed were stamped once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellSpec, gridCells, gridPreset, organismDigest, sameCellSpec } from '../../lib/grid';
import { defaultOrganismDir } from '../../lib/organisms';

test('organismDigest follows the weights and labels, not the folder; cellSpec carries it', () => {
  const root = mkdtempSync(join(tmpdir(), 'rlvr-digest-'));
  try {
    const shipped = defaultOrganismDir('good-code');
    const copy = join(root, 'good-code-s1');
    cpSync(shipped, copy, { recursive: true });
    assert.match(organismDigest(shipped), /^[0-9a-f]{16}$/);
    assert.equal(organismDigest(copy), organismDigest(shipped), 'a copy is the same organism');
    const spec = { ...gridPreset('smoke'), lr: { 'good-code': 0.07 } };
    const cell = gridCells(spec)[0];
    const a = cellSpec(spec, cell);
    const b = cellSpec({ ...spec, organismRoot: root }, cell);
    assert.equal(a.organism, organismDigest(shipped));
    assert.equal(b.organism, a.organism);
    assert.ok(!sameCellSpec(a, b), 'the organisms folder is part of the spec too');
    const relabelled = join(root, 'relabelled');
    cpSync(shipped, relabelled, { recursive: true });
    assert.equal(organismDigest(relabelled), organismDigest(shipped));
    writeFileSync(join(relabelled, 'mv-labels.json'), '[]\n'); // rebuilt in place, after a first digest
    assert.notEqual(organismDigest(relabelled), organismDigest(shipped), 'other labels, another organism');
    assert.throws(() => organismDigest(join(root, 'nowhere')), /model\.safetensors: missing/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('sameCellSpec compares settings whatever the order of their keys', () => {
  const base = { train: { seed: 1, algo: { lr: 0.05, optimizer: 'sgd' } }, organisms: 'shipped', organism: 'abc', evalEvery: 5, evalProblems: 400 };
  const reordered = { evalProblems: 400, organism: 'abc', organisms: 'shipped', evalEvery: 5, train: { algo: { optimizer: 'sgd', lr: 0.05 }, seed: 1 } };
  assert.ok(sameCellSpec(base, reordered));
  assert.ok(!sameCellSpec(base, { ...base, organism: 'abd' }));
  assert.ok(!sameCellSpec(base, { ...base, train: { seed: 1, algo: { lr: 0.07, optimizer: 'sgd' } } }));
});
