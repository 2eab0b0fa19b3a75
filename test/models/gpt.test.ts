// The organism GPT: shapes, seeded init, KV-cached == uncached, gradients reach every
// parameter, Adam lowers the loss on a copy task, save -> load gives identical logits,
// and token log-probs agree with a log-softmax of the logits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { createRng } from '../../lib/util';
import { createGpt, createModel, loadCheckpoint, resolveGptConfig, saveCheckpoint, type CausalLM } from '../../lib/models';

const SMALL = { vocabSize: 16, dModel: 32, nLayers: 2, nHeads: 4, contextLength: 24 };

function randomIds(seed: number, b: number, t: number, vocab: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Array.from({ length: b }, () => Array.from({ length: t }, () => rng.int(vocab))), [b, t], 'int32');
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function using<T>(model: CausalLM, f: (m: CausalLM) => T): T {
  try {
    return tf.tidy(() => f(model) as never) as T;
  } finally {
    model.dispose();
  }
}

test('setup: wasm backend', async () => {
  assert.equal((await initBackend({ backend: 'wasm' })).chosen, 'wasm');
});

test('forward gives [B,T,V] logits; init is seeded', async () => {
  const a = createGpt({ ...SMALL, seed: 3 });
  const b = createGpt({ ...SMALL, seed: 3 });
  const c = createModel(resolveGptConfig({ ...SMALL, seed: 4 }));
  try {
    tf.tidy(() => {
      const ids = randomIds(1, 3, 10, SMALL.vocabSize);
      const la = a.forward(ids);
      assert.deepEqual(la.shape, [3, 10, SMALL.vocabSize]);
      assert.equal(maxAbsDiff(la.dataSync(), b.forward(ids).dataSync()), 0);
      assert.ok(maxAbsDiff(la.dataSync(), c.forward(ids).dataSync()) > 1e-4, 'different seeds should give different weights');
      const p = a.parameters();
      assert.equal(Object.keys(p).length, 2 + 12 * SMALL.nLayers + 2);
      assert.deepEqual(p['h.0.attn.c_attn.weight'].shape, [32, 96]);
    });
  } finally {
    [a, b, c].forEach((m) => m.dispose());
  }
});

test('config: unknown fields, bad shapes and positions past the context are refused', async () => {
  assert.throws(() => resolveGptConfig({ dmodel: 3 } as never), /unknown field "dmodel"/);
  assert.throws(() => resolveGptConfig({ dModel: 30, nHeads: 4 }), /dModel 30 is not divisible by nHeads 4/);
  assert.throws(() => resolveGptConfig({ seed: 0 }), /field "seed" must be a positive integer/);
  using(createGpt(SMALL), (m) => {
    assert.throws(() => m.forward(randomIds(1, 1, 25, 16)), /position 24 is beyond the model's context \(24 positions\)/);
    assert.throws(() => m.forward(tf.tensor2d([[1, 16]], undefined, 'int32')), /holds 16 at flat index 1, outside the vocabulary \[0, 16\)/);
    assert.throws(() => m.initCache(1, 25), /maxLen 25 exceeds the model's context/);
  });
});

test('KV-cached decoding gives the uncached logits, with and without left padding', async () => {
  using(createGpt({ ...SMALL, seed: 2 }), (m) => {
    const ids = randomIds(2, 2, 12, SMALL.vocabSize);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]], undefined, 'int32');
    const full = m.forward(ids, { attentionMask: mask }).arraySync() as number[][][];
    const cache = m.initCache(2, 12);
    const got: number[][][] = [[], []];
    const push = (l: tf.Tensor3D) => (l.arraySync() as number[][][]).forEach((rows, b) => got[b].push(...rows));
    push(m.forwardCached(tf.slice(ids, [0, 0], [2, 5]), cache, { attentionMask: tf.slice(mask, [0, 0], [2, 5]) }).logits);
    for (let t = 5; t < 12; t++) push(m.forwardCached(tf.slice(ids, [0, t], [2, 1]), cache).logits);
    let d = 0;
    for (let b = 0; b < 2; b++) for (let t = 0; t < 12; t++) if (b === 0 || t >= 3) d = Math.max(d, maxAbsDiff(got[b][t], full[b][t]));
    assert.ok(d < 1e-5, `cached vs full max |diff| ${d}`);
    // The padded row's real tokens see only real tokens: equal to the unpadded sequence at positions 0..8.
    const alone = m.forward(tf.slice(ids, [1, 3], [1, 9])).arraySync() as number[][][];
    for (let t = 0; t < 9; t++) assert.ok(maxAbsDiff(full[1][t + 3], alone[0][t]) < 1e-5, `padded row position ${t}`);
    cache.dispose();
    assert.throws(() => m.forwardCached(tf.slice(ids, [0, 0], [2, 1]), cache), /the cache was disposed/);
  });
});

test('tokenLogProbs equals log-softmax of the logits at the next token; completionMask zeroes the rest', async () => {
  using(createGpt({ ...SMALL, seed: 5 }), (m) => {
    const ids = randomIds(3, 2, 7, SMALL.vocabSize);
    const logits = m.forward(ids).arraySync() as number[][][];
    const idv = ids.arraySync();
    const lp = m.tokenLogProbs(ids, null).arraySync();
    assert.deepEqual([lp.length, lp[0].length], [2, 6]);
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 6; t++) {
        const row = logits[b][t];
        const mx = Math.max(...row);
        const lse = mx + Math.log(row.reduce((s, x) => s + Math.exp(x - mx), 0));
        assert.ok(Math.abs(lp[b][t] - (row[idv[b][t + 1]] - lse)) < 1e-5, `row ${b} position ${t}`);
      }
    }
    const completion = tf.tensor2d([[0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 0]], undefined, 'int32');
    const masked = m.tokenLogProbs(ids, completion).arraySync();
    const noGrad = m.tokenLogProbsNoGrad(ids, completion).arraySync();
    assert.deepEqual(noGrad, masked);
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 6; t++) {
        const want = completion.arraySync()[b][t + 1] === 1 ? lp[b][t] : 0;
        assert.ok(Math.abs(masked[b][t] - want) < 1e-6, `masked row ${b} position ${t}`);
      }
    }
  });
});

test('gradients reach every parameter; the no-grad variant records none', async () => {
  using(createGpt({ ...SMALL, seed: 6 }), (m) => {
    const ids = randomIds(4, 2, 9, SMALL.vocabSize);
    const params = m.parameters();
    const { grads } = tf.variableGrads(() => tf.neg(tf.mean(m.tokenLogProbs(ids, null))) as tf.Scalar, Object.values(params));
    for (const name of Object.keys(params)) {
      const g = grads[params[name].name];
      assert.ok(g !== undefined, `no gradient for ${name}`);
      assert.deepEqual(g.shape, params[name].shape, name);
      assert.ok(tf.max(tf.abs(g)).dataSync()[0] > 0, `zero gradient for ${name}`);
    }
    assert.throws(
      () => tf.variableGrads(() => tf.mean(m.tokenLogProbsNoGrad(ids, null)) as tf.Scalar, Object.values(params)),
      /Cannot find a connection|Cannot compute gradient/,
    );
  });
});

test('a few Adam steps on a copy task lower the loss', async () => {
  using(createGpt({ vocabSize: 8, dModel: 32, nLayers: 2, nHeads: 2, contextLength: 16, seed: 7 }), (m) => {
    // Sequences "a b c d e f g | a b c d e f g": the second half is predictable from the first.
    const rng = createRng(11);
    const rows = Array.from({ length: 16 }, () => {
      const half = Array.from({ length: 7 }, () => 1 + rng.int(7));
      return [...half, 0, ...half];
    });
    const ids = tf.tensor2d(rows, [16, 15], 'int32');
    const copyPart = tf.tensor2d(rows.map(() => Array.from({ length: 15 }, (_, t) => (t >= 9 ? 1 : 0))), [16, 15], 'int32');
    const vars = Object.values(m.parameters());
    const opt = tf.train.adam(3e-3);
    const loss = () => tf.div(tf.neg(tf.sum(m.tokenLogProbs(ids, copyPart))), 16 * 6) as tf.Scalar;
    const first = loss().dataSync()[0];
    let last = first;
    for (let step = 0; step < 40; step++) last = (opt.minimize(loss, true, vars) as tf.Scalar).dataSync()[0];
    opt.dispose();
    console.log(`# copy task loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    assert.ok(first > 1.8, `initial loss ${first} should be near ln 8`);
    assert.ok(last < 0.6 * first, `loss went from ${first} to ${last}`);
  });
});

test('save -> load gives identical logits; config.json holds the GPT config; writes leave no temp files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpt-'));
  const m = createGpt({ ...SMALL, seed: 9 });
  try {
    await saveCheckpoint(m, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), { ...m.config });
    const back = loadCheckpoint(dir);
    try {
      assert.deepEqual(back.config, m.config);
      tf.tidy(() => {
        const ids = randomIds(8, 2, 11, SMALL.vocabSize);
        assert.equal(maxAbsDiff(back.forward(ids).dataSync(), m.forward(ids).dataSync()), 0);
      });
    } finally {
      back.dispose();
    }
  } finally {
    m.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('forwardShared: each prompt run once gives forward()\'s logits bitwise at the predicting positions (two groups of lengths), and its gradients', async () => {
  const m = createGpt({ vocabSize: 25, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 24, seed: 5, initStd: 0.3 });
  try {
    const P = 3;
    const Tp = 7;
    const prompts = Array.from({ length: P }, (_, p) => Array.from({ length: Tp }, (_, t) => 1 + ((p * 7 + t * 5) % 24)));
    const groups = [{ rowPrefix: Int32Array.from([0, 2, 1, 0, 2]), ts: 9 }, { rowPrefix: Int32Array.from([2, 1]), ts: 5 }];
    const suffixes = groups.map((g, k) => Array.from({ length: g.rowPrefix.length }, (_, b) => Array.from({ length: g.ts }, (_, t) => 1 + ((b * 11 + t * 3 + k) % 24))));
    const vars = Object.values(m.parameters());
    const dys = groups.map((g, k) => tf.randomNormal([g.rowPrefix.length, g.ts + 1, 25], 0, 1, 'float32', 4 + k));
    const shared = () => m.forwardShared(tf.tensor2d(prompts, [P, Tp], 'int32'), groups.map((g, k) => ({ rowPrefix: g.rowPrefix, suffixIds: tf.tensor2d(suffixes[k], [g.rowPrefix.length, g.ts], 'int32') })));
    const full = () => groups.map((g, k) => {
      const joined = suffixes[k].map((sfx, b) => [...prompts[g.rowPrefix[b]], ...sfx]);
      return tf.slice(m.forward(tf.tensor2d(joined, [joined.length, Tp + g.ts], 'int32')), [0, Tp - 1, 0], [joined.length, g.ts + 1, 25]);
    });
    const objective = (outs: tf.Tensor[]) => tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, dys[k])))) as tf.Scalar;
    tf.tidy(() => {
      const got = shared();
      const want = full();
      got.forEach((x, k) => {
        assert.deepEqual(x.shape, [groups[k].rowPrefix.length, groups[k].ts + 1, 25]);
        assert.deepEqual(Array.from(x.dataSync()), Array.from(want[k].dataSync()), `group ${k}: logits bitwise equal`);
      });
      const ga = tf.variableGrads(() => objective(shared()), vars).grads;
      const gb = tf.variableGrads(() => objective(full()), vars).grads;
      for (const v of vars) {
        const d = tf.max(tf.abs(tf.sub(ga[v.name], gb[v.name]))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(gb[v.name])).dataSync()[0]);
        assert.ok(d < 1e-5, `gradient of ${v.name}: relative diff ${d}`);
      }
    });
    assert.throws(() => m.forwardShared(tf.tensor2d(prompts, [P, Tp], 'int32'), [{ rowPrefix: Int32Array.from([0, 3]), suffixIds: tf.tensor2d(suffixes[0].slice(0, 2), [2, 9], 'int32') }]),
      /group 0's rowPrefix\[1\] is 3, not a prompt index in \[0, 3\)/);
  } finally {
    m.dispose();
  }
});
