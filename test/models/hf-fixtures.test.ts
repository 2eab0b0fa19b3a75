// Qwen2 / Llama 3 / OLMo 2 against transformers' own outputs (shared/fixtures/hf-tiny): logits
// and next-token log-probs within 1e-4 relative error on unmasked positions, identical greedy
// continuations, both config.json layouts; KV-cached logits equal the full forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { greedyDecode, loadCheckpoint, type CausalLM } from '../../lib/models';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny');
const ARCHS = [
  { folder: 'qwen2-tiny', arch: 'qwen2' },
  { folder: 'llama3-tiny', arch: 'llama' },
  { folder: 'olmo2-tiny', arch: 'olmo2' },
] as const;
const LAYOUTS = ['config.json', 'config.legacy.json'];

interface Reference {
  input_ids: number[][];
  attention_mask: number[][];
  position_ids: number[][];
  logits: number[][][];
  next_token_logprobs: number[][];
  greedy_prompt: number[];
  greedy_output: number[];
}

function reference(folder: string): Reference {
  return JSON.parse(readFileSync(join(FIXTURES, folder, 'reference.json'), 'utf8')) as Reference;
}

/** max |a - e| / max |e| over the positions where keep(b, t) holds. */
function relErr(actual: number[][][] | number[][], expected: number[][][] | number[][], keep: (b: number, t: number) => boolean): number {
  let diff = 0;
  let scale = 0;
  for (let b = 0; b < expected.length; b++) {
    for (let t = 0; t < expected[b].length; t++) {
      if (!keep(b, t)) continue;
      const e = ([] as number[]).concat(expected[b][t]);
      const a = ([] as number[]).concat(actual[b][t]);
      assert.equal(a.length, e.length, `row ${b} position ${t}: length`);
      for (let i = 0; i < e.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - e[i]));
        scale = Math.max(scale, Math.abs(e[i]));
      }
    }
  }
  assert.ok(scale > 0, 'no reference values compared');
  return diff / scale;
}

function inputs(ref: Reference): { ids: tf.Tensor2D; attentionMask: tf.Tensor2D; positions: tf.Tensor2D } {
  return {
    ids: tf.tensor2d(ref.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.attention_mask, undefined, 'int32'),
    positions: tf.tensor2d(ref.position_ids, undefined, 'int32'),
  };
}

async function withModel(folder: string, opts: Parameters<typeof loadCheckpoint>[1], f: (m: CausalLM) => Promise<void>): Promise<void> {
  const m = loadCheckpoint(join(FIXTURES, folder), opts);
  tf.engine().startScope(); // a tidy that spans the awaits of greedyDecode
  try {
    await f(m);
  } finally {
    tf.engine().endScope();
    m.dispose();
  }
}

test('setup: wasm backend', async () => {
  const report = await initBackend({ backend: 'wasm' });
  assert.equal(report.chosen, 'wasm');
});

for (const { folder, arch } of ARCHS) {
  const ref = reference(folder);
  for (const layout of LAYOUTS) {
    test(`${folder} (${layout}): logits, next-token log-probs and greedy tokens match transformers`, async () => {
      // The fixtures ran transformers after model.to(bfloat16), which also rounds the rope inv_freq buffer.
      await withModel(folder, { configFile: layout, ropeInvFreqPrecision: 'bfloat16' }, async (m) => {
        assert.equal(m.config.arch, arch);
        const { ids, attentionMask, positions } = inputs(ref);
        const real = (b: number, t: number) => ref.attention_mask[b][t] === 1;
        const logits = m.forward(ids, { attentionMask, positions }).arraySync() as number[][][];
        const logitErr = relErr(logits, ref.logits, real);
        assert.ok(logitErr < 1e-4, `logits relative error ${logitErr}`);
        const lp = m.tokenLogProbs(ids, null, { attentionMask, positions }).arraySync() as number[][];
        const lpErr = relErr(lp, ref.next_token_logprobs, real);
        assert.ok(lpErr < 1e-4, `log-prob relative error ${lpErr}`);
        assert.deepEqual(await greedyDecode(m, ref.greedy_prompt, 8), ref.greedy_output);
        console.log(`# ${folder} ${layout}: logits rel err ${logitErr.toExponential(2)}, log-prob rel err ${lpErr.toExponential(2)}`);
      });
    });
  }

  test(`${folder}: with float32 rope frequencies (the default) greedy tokens still match and logits stay within 1e-3`, async () => {
    await withModel(folder, {}, async (m) => {
      assert.equal(m.config.arch === 'gpt' ? null : m.config.rope.invFreqPrecision, 'float32');
      const { ids, attentionMask, positions } = inputs(ref);
      const logits = m.forward(ids, { attentionMask, positions }).arraySync() as number[][][];
      const err = relErr(logits, ref.logits, (b, t) => ref.attention_mask[b][t] === 1);
      assert.ok(err < 1e-3, `logits relative error ${err}`);
      assert.deepEqual(await greedyDecode(m, ref.greedy_prompt, 8), ref.greedy_output);
      console.log(`# ${folder} float32 inv_freq: logits rel err ${err.toExponential(2)}`);
    });
  });

  test(`${folder}: default positions from the attention mask equal the reference position_ids`, async () => {
    await withModel(folder, {}, async (m) => {
      const { ids, attentionMask, positions } = inputs(ref);
      const given = m.forward(ids, { attentionMask, positions }).arraySync() as number[][][];
      const derived = m.forward(ids, { attentionMask }).arraySync() as number[][][];
      assert.ok(relErr(derived, given, () => true) === 0, 'logits differ');
    });
  });

  test(`${folder}: KV-cached prefill + one-token steps give the full forward's logits (left-padded batch)`, async () => {
    await withModel(folder, {}, async (m) => {
      const { ids, attentionMask } = inputs(ref);
      const full = m.forward(ids, { attentionMask }).arraySync() as number[][][];
      const cache = m.initCache(2, 12);
      const got: number[][][] = [[], []];
      const push = (l: tf.Tensor3D) => (l.arraySync() as number[][][]).forEach((rows, b) => got[b].push(...rows));
      push(m.forwardCached(tf.slice(ids, [0, 0], [2, 7]), cache, { attentionMask: tf.slice(attentionMask, [0, 0], [2, 7]) }).logits);
      for (let t = 7; t < 12; t++) push(m.forwardCached(tf.slice(ids, [0, t], [2, 1]), cache).logits);
      assert.equal(cache.length, 12);
      assert.deepEqual(cache.nextPosition, [12, 8]);
      const err = relErr(got, full, (b, t) => ref.attention_mask[b][t] === 1);
      assert.ok(err < 1e-5, `cached vs full relative error ${err}`);
      assert.throws(() => m.forwardCached(tf.slice(ids, [0, 0], [2, 1]), cache), /exceed the cache's maxLen 12/);
      cache.dispose();
    });
  });
}

test('the two config layouts parse to the same config', async () => {
  for (const { folder } of ARCHS) {
    const a = loadCheckpoint(join(FIXTURES, folder), { configFile: 'config.json' });
    const b = loadCheckpoint(join(FIXTURES, folder), { configFile: 'config.legacy.json' });
    try {
      assert.deepEqual(a.config, b.config, folder);
    } finally {
      a.dispose();
      b.dispose();
    }
  }
});

test('every HF parameter (biases, q/k norms, post-norms included) receives a nonzero gradient', async () => {
  for (const { folder } of ARCHS) {
    await withModel(folder, {}, async (m) => {
      const { ids, attentionMask } = inputs(reference(folder));
      const params = m.parameters();
      const { grads } = tf.variableGrads(() => tf.neg(tf.mean(m.tokenLogProbs(ids, attentionMask, { attentionMask }))) as tf.Scalar, Object.values(params));
      for (const [name, v] of Object.entries(params)) {
        const g = grads[v.name];
        assert.ok(g !== undefined, `${folder}: no gradient for ${name}`);
        assert.ok(tf.max(tf.abs(g)).dataSync()[0] > 0, `${folder}: zero gradient for ${name}`);
      }
    });
  }
});
