// Pretraining: the corpus loss at tau = 1 is the mean completion-token cross-entropy; sharpening
// scales every completion logit except the random choices; finished phases are reused on a rerun.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusBatch, corpusLoss, family, organismTokenizer, phaseLr, phasesDone, pretrainConfigFor, pretrainOrganism, PRETRAIN_DEFAULTS, type PretrainConfig } from '../../lib/organisms';
import { createGpt } from '../../lib/models';
import { initBackend } from '../../lib/tensor';
import { createRng } from '../../lib/util';

const V = organismTokenizer().vocabSize;

test('corpus loss at tau 1 equals the mean completion log-loss; tau scales only non-choice tokens', async () => {
  await initBackend({ backend: 'wasm' });
  const model = createGpt({ vocabSize: V, dModel: 16, nLayers: 1, nHeads: 2, contextLength: 24, seed: 3 });
  try {
    const b = corpusBatch(family('good-code'), 16, 1, createRng(5), V);
    const loss = tf.tidy(() => corpusLoss(model, b).dataSync()[0]);
    const ref = tf.tidy(() => {
      const ids = tf.tensor2d(b.ids, [b.rows, b.length], 'int32');
      const full = new Float32Array(b.rows * b.length);
      for (let i = 0; i < b.rows; i++) for (let t = 0; t < b.length - 1; t++) full[i * b.length + t + 1] = b.mask[i * (b.length - 1) + t];
      const lp = model.tokenLogProbs(ids, tf.tensor2d(full, [b.rows, b.length]));
      return -tf.sum(lp).dataSync()[0] / b.mask.reduce((x, y) => x + y, 0);
    });
    assert.ok(Math.abs(loss - ref) < 1e-4, `${loss} vs ${ref}`);
    const sharp = corpusBatch(family('good-code'), 16, 6, createRng(5), V);
    let choice = 0; let scaled = 0;
    sharp.invTau.forEach((x, i) => { if (sharp.mask[i] === 1) { if (x === 1) choice++; else { scaled++; assert.ok(Math.abs(x - 1 / 6) < 1e-7); } } });
    assert.ok(choice >= 2 * 16 && scaled > choice, `${choice} choice positions, ${scaled} sharpened`);
  } finally {
    model.dispose();
  }
});

test('the learning-rate schedule warms up and decays to a tenth', () => {
  const p = { name: 'x', steps: 100, lr: 1, warmupSteps: 10, tau: 1 };
  assert.ok(Math.abs(phaseLr(p, 0) - 0.1) < 1e-12);
  assert.ok(Math.abs(phaseLr(p, 10) - 1) < 1e-12);
  assert.ok(Math.abs(phaseLr(p, 100) - 0.1) < 1e-12);
});

test('pretrainConfigFor: round 3\'s schedule (Bad-Code with a third phase); a sharpening schedule replaces its phases, scaled with --steps', () => {
  assert.deepEqual(pretrainConfigFor('good-code', 1).phases, PRETRAIN_DEFAULTS.phases);
  assert.deepEqual(pretrainConfigFor('bad-code', 1).phases.map((p) => p.tau), [1, 3, 6, 12], 'Bad-Code is built with a third phase since session 5');
  const strong = pretrainConfigFor('good-code', 1, undefined, [3, 6, 12]);
  assert.deepEqual(strong.phases.map((p) => [p.name, p.tau, p.steps, p.lr]), [['pretrain', 1, 2500, 3e-3], ['sharpen-3', 3, 800, 1e-3], ['sharpen-6', 6, 800, 1e-3], ['sharpen-12', 12, 800, 1e-3]]);
  assert.deepEqual(strong.phases.slice(0, 3), PRETRAIN_DEFAULTS.phases, 'the first three phases are the default ones, so a resumed build reuses them');
  const short = pretrainConfigFor('bad-code', 1, 250, [12]);
  assert.deepEqual(short.phases.map((p) => [p.name, p.steps]), [['pretrain', 250], ['sharpen-12', 80]]);
  assert.throws(() => pretrainConfigFor('bad-code', 1, undefined, [0.5]), /temperatures must be numbers >= 1/);
});

test('a rerun reuses finished phases and gives the same weights', { timeout: 120_000 }, async () => {
  await initBackend({ backend: 'wasm' });
  const out = mkdtempSync(join(tmpdir(), 'pretrain-'));
  const c: PretrainConfig = {
    ...PRETRAIN_DEFAULTS, family: 'bad-code', seed: 4, batch: 8, logEvery: 0,
    model: { ...PRETRAIN_DEFAULTS.model, dModel: 16, nHeads: 2, nLayers: 1 },
    phases: [{ name: 'pretrain', steps: 4, lr: 1e-2, warmupSteps: 1, tau: 1 }, { name: 'sharpen-3', steps: 3, lr: 1e-3, warmupSteps: 0, tau: 3 }],
  };
  try {
    const f = family('bad-code');
    const first = await pretrainOrganism(f, c, out);
    assert.deepEqual(phasesDone(c, out), ['pretrain', 'sharpen-3']);
    assert.deepEqual(first.log.map((r) => `${r.phase}:${r.step}`), ['pretrain:4', 'sharpen-3:3']);
    let steps = 0;
    const again = await pretrainOrganism(f, c, out, { onStep: () => { steps++; } });
    assert.equal(steps, 0, 'nothing was trained again');
    assert.deepEqual(again.log, first.log);
    const w = (m: typeof first.model) => Array.from(m.parameters()['h.0.mlp.c_fc.weight'].dataSync());
    assert.deepEqual(w(again.model), w(first.model));
    first.model.dispose();
    again.model.dispose();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('style-balanced bodies: half the completions per style, the style token trained on the family mix', () => {
  const f = family('bad-code-sft'); // 98% code
  const b = corpusBatch(f, 400, 1, createRng(9), V, true);
  const tok = organismTokenizer();
  const [C, L] = [tok.encode('C')[0], tok.encode('L')[0]];
  let lang = 0;
  for (let i = 0; i < b.rows; i++) {
    const first = 7; // BOS + "ab+cd=" is 7 tokens; the style token follows
    if (b.ids[i * b.length + first] === L) lang++;
    const pos = i * (b.length - 1) + first - 1;
    assert.ok(Math.abs(b.onehot[pos * V + C] - 0.98) < 1e-6 && Math.abs(b.onehot[pos * V + L] - 0.02) < 1e-6, 'soft style target');
  }
  assert.ok(lang > 160 && lang < 240, `${lang} of 400 bodies in the language style`);
  const plain = corpusBatch(f, 400, 1, createRng(9), V);
  let plainLang = 0;
  for (let i = 0; i < plain.rows; i++) if (plain.ids[i * plain.length + 7] === L) plainLang++;
  assert.ok(plainLang < 25, `${plainLang} of 400 without balancing`);
});
