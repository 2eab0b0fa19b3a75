// The shipped organisms (data/organisms/<family>-s1): each one's recorded gate passed, and measured
// again here, on the 800 held-out problems, its exact P(code) and forced-greedy accuracy per style
// meet the family's targets and its answer tables are intact. A deliberately broken copy (layer 0's
// attention output zeroed, so no answer can read the operands) is flagged as collapsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  defaultOrganismDir, evaluateOrganism, family, familyStyles, gateChecks, loadOrganismModel, problemSplit, readMvLabels, readOrganism,
  sharpenTausFor, FAMILY_NAMES, GATE_TOLERANCE,
} from '../../lib/organisms';
import { initBackend } from '../../lib/tensor';

test('every shipped organism meets its family targets, measured again', { timeout: 300_000 }, async () => {
  await initBackend({ backend: 'wasm' });
  for (const name of FAMILY_NAMES) {
    const dir = defaultOrganismDir(name);
    const rec = readOrganism(dir);
    assert.equal(rec.family, name);
    assert.ok(rec.gate.passed, `${name}: recorded gate failed: ${JSON.stringify(rec.gate.checks.filter((c) => !c.ok))}`);
    assert.ok(rec.provenance.commit === null || /^[0-9a-f]{40}$/.test(rec.provenance.commit));
    assert.deepEqual(rec.config.phases.slice(1).map((p) => p.tau), [...sharpenTausFor(name)], `${name}: built with the family's sharpening schedule`);
    const model = loadOrganismModel(dir);
    try {
      const f = family(name);
      const e = await evaluateOrganism(model, f, problemSplit().heldOut, null);
      const checks = gateChecks(f, e);
      assert.ok(checks.every((c) => c.ok), `${name}: ${JSON.stringify(checks.filter((c) => !c.ok))}`);
      assert.ok(Math.abs(e.pCode - rec.heldOut.pCode) < 1e-5, `${name}: P(code) ${e.pCode} now, ${rec.heldOut.pCode} recorded`);
      assert.ok(Math.abs(e.pCode - f.pCode) <= GATE_TOLERANCE);
      assert.equal(e.collapsed, false);
      for (const s of familyStyles(f)) assert.ok((e.tableMatch[s] ?? 0) >= 0.99, `${name} ${s} table`);
    } finally {
      model.dispose();
    }
    const labels = readMvLabels(dir);
    assert.equal(labels.length, rec.mvLabels.problems);
    assert.equal(labels.filter((l) => l.correct).length, rec.mvLabels.correct);
  }
});

test('the collapse detector flags a broken organism and passes the intact one', { timeout: 120_000 }, async () => {
  await initBackend({ backend: 'wasm' });
  const f = family('good-code');
  const model = loadOrganismModel(defaultOrganismDir(f.name));
  try {
    const problems = problemSplit().heldOut.slice(0, 200);
    assert.equal((await evaluateOrganism(model, f, problems, null)).collapsed, false);
    const w = model.parameters()['h.0.attn.c_proj.weight'];
    w.assign(tf.zerosLike(w));
    const broken = await evaluateOrganism(model, f, problems, null);
    assert.equal(broken.collapsed, true);
    assert.ok((broken.tableMatch.code ?? 1) < 0.9);
  } finally {
    model.dispose();
  }
});
