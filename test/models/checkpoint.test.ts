// safetensors reading/writing and checkpoint folders: dtype decoding, sharded folders,
// errors naming the file and the tensor, config parsing errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import {
  createHfModel, loadCheckpoint, parseHfConfig, parseSafetensors, readSafetensors, saveCheckpoint, serializeSafetensors,
  type HostTensor,
} from '../../lib/models';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny');
const QWEN = join(FIXTURES, 'qwen2-tiny');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'models-'));
}

/** Hand-built safetensors bytes: one tensor of the given dtype and raw little-endian payload. */
function rawFile(dtype: string, shape: number[], payload: number[], width: 2 | 4): Uint8Array {
  const header = JSON.stringify({ x: { dtype, shape, data_offsets: [0, payload.length * width] } });
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + head.length + payload.length * width);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  payload.forEach((v, i) => (width === 2 ? view.setUint16(8 + head.length + 2 * i, v, true) : view.setFloat32(8 + head.length + 4 * i, v, true)));
  return out;
}

test('setup: wasm backend', async () => {
  assert.equal((await initBackend({ backend: 'wasm' })).chosen, 'wasm');
});

test('safetensors: bf16, f16 and f32 decode to the right float32 values', async () => {
  // bf16: 1.0, -2.0, 0.15625 (0x3e20), the smallest normal's neighbour
  assert.deepEqual([...parseSafetensors(rawFile('BF16', [3], [0x3f80, 0xc000, 0x3e20], 2), 'a').get('x')!.data], [1, -2, 0.15625]);
  // f16: 1, -2, 2^-24 (subnormal), +inf, 65504 (max)
  const f16 = parseSafetensors(rawFile('F16', [5], [0x3c00, 0xc000, 0x0001, 0x7c00, 0x7bff], 2), 'b').get('x')!.data;
  assert.deepEqual([...f16], [1, -2, 2 ** -24, Infinity, 65504]);
  assert.deepEqual([...parseSafetensors(rawFile('F32', [2, 1], [0.5, -3.25], 4), 'c').get('x')!.data], [0.5, -3.25]);
  assert.throws(() => parseSafetensors(rawFile('I64', [1], [1, 0, 0, 0], 2), 'ints.safetensors'), /ints\.safetensors: tensor "x" has dtype I64/);
  const short = rawFile('F32', [3], [1, 2], 4); // header says 3 values, 2 given
  assert.throws(() => parseSafetensors(short, 'short.safetensors'), /short\.safetensors: tensor "x" F32 \[3\] needs 12 bytes but data_offsets span 8/);
});

test('safetensors: write then read returns the same tensors, header 8-byte aligned', async () => {
  const tensors = new Map<string, HostTensor>([
    ['a.weight', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) }],
    ['b', { shape: [1], data: new Float32Array([-0.125]) }],
  ]);
  const bytes = serializeSafetensors(tensors, { format: 'pt' });
  const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLen) % 8, 0);
  const back = parseSafetensors(bytes, 'mem');
  assert.deepEqual([...back.keys()], ['a.weight', 'b']);
  for (const [k, t] of tensors) {
    assert.deepEqual(back.get(k)!.shape, t.shape);
    assert.deepEqual([...back.get(k)!.data], [...t.data]);
  }
});

/** A temp copy of the Qwen fixture whose weights are rewritten by `edit`. */
function editedQwen(edit: (t: Map<string, HostTensor>) => void): string {
  const dir = tempDir();
  copyFileSync(join(QWEN, 'config.json'), join(dir, 'config.json'));
  const tensors = readSafetensors(join(QWEN, 'model.safetensors'));
  edit(tensors);
  writeFileSync(join(dir, 'model.safetensors'), serializeSafetensors(tensors));
  return dir;
}

test('loading errors name the file and the missing, unexpected or misshapen tensor', async () => {
  const missing = editedQwen((t) => t.delete('model.layers.1.mlp.up_proj.weight'));
  const extra = editedQwen((t) => t.set('model.layers.0.self_attn.extra.weight', { shape: [1], data: new Float32Array([1]) }));
  const shape = editedQwen((t) => {
    const w = t.get('model.norm.weight')!;
    t.set('model.norm.weight', { shape: [w.data.length / 2, 2], data: w.data });
  });
  try {
    assert.throws(() => loadCheckpoint(missing), (e: Error) =>
      e.message.includes(join(missing, 'model.safetensors')) && e.message.includes('missing tensor "model.layers.1.mlp.up_proj.weight"'));
    assert.throws(() => loadCheckpoint(extra), (e: Error) =>
      e.message.includes(join(extra, 'model.safetensors')) && e.message.includes('unexpected tensor "model.layers.0.self_attn.extra.weight"'));
    assert.throws(() => loadCheckpoint(shape), /model\.safetensors: tensor "model\.norm\.weight" is \[32,2\] but the config needs \[64\]/);
    assert.throws(() => loadCheckpoint(join(FIXTURES, 'tokenizer-bpe')), /config\.json: cannot read/);
  } finally {
    for (const d of [missing, extra, shape]) rmSync(d, { recursive: true, force: true });
  }
});

test('a sharded checkpoint (index + 2 shards) loads to the same logits as the single file', async () => {
  const dir = tempDir();
  try {
    copyFileSync(join(QWEN, 'config.json'), join(dir, 'config.json'));
    const tensors = readSafetensors(join(QWEN, 'model.safetensors'));
    const names = [...tensors.keys()];
    const shards = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    shards.forEach((list, i) => {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      writeFileSync(join(dir, file), serializeSafetensors(new Map(list.map((n) => [n, tensors.get(n)!]))));
      for (const n of list) weightMap[n] = file;
    });
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const a = loadCheckpoint(QWEN);
    const b = loadCheckpoint(dir);
    const ids = tf.tensor2d([[5, 9, 200, 7]], undefined, 'int32');
    try {
      assert.deepEqual([...b.forward(ids).dataSync()], [...a.forward(ids).dataSync()]);
    } finally {
      a.dispose();
      b.dispose();
      ids.dispose();
    }
    // An index entry whose shard lacks the tensor is named.
    weightMap['model.norm.weight'] = 'model-00001-of-00002.safetensors';
    writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
    assert.throws(() => loadCheckpoint(dir), /model-00001-of-00002\.safetensors: missing tensor "model\.norm\.weight"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an HF model saved with saveCheckpoint loads back with identical logits and an HF config.json', async () => {
  const dir = tempDir();
  const src = loadCheckpoint(join(FIXTURES, 'llama3-tiny'), { ropeInvFreqPrecision: 'bfloat16' });
  try {
    await saveCheckpoint(src, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['config.json', 'model.safetensors']); // no temp files left
    const json = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(json.model_type, 'llama');
    const back = loadCheckpoint(dir);
    const ids = tf.tensor2d([[1, 2, 3, 300, 7, 8]], undefined, 'int32');
    try {
      assert.deepEqual(back.config, src.config);
      assert.deepEqual([...back.forward(ids).dataSync()], [...src.forward(ids).dataSync()]);
    } finally {
      back.dispose();
      ids.dispose();
    }
  } finally {
    src.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseHfConfig: errors name the file and the field; unsupported rope types are refused', async () => {
  const base = JSON.parse(readFileSync(join(FIXTURES, 'llama3-tiny', 'config.legacy.json'), 'utf8')) as Record<string, unknown>;
  assert.throws(() => parseHfConfig({ ...base, hidden_size: undefined }, 'x/config.json'), /x\/config\.json: field "hidden_size" is missing/);
  assert.throws(() => parseHfConfig({ ...base, model_type: 'gpt2' }, 'c.json'), /c\.json: field "model_type" is "gpt2"; supported: qwen2, llama, olmo2/);
  assert.throws(() => parseHfConfig({ ...base, rope_scaling: { rope_type: 'yarn', factor: 4 } }, 'c.json'), /rope type "yarn" is not supported/);
  assert.throws(() => parseHfConfig({ ...base, num_key_value_heads: 3 }, 'c.json'), /not a multiple of num_key_value_heads 3/);
  const cfg = parseHfConfig(base, 'c.json');
  assert.deepEqual(cfg.rope, {
    theta: 10000, type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 32, invFreqPrecision: 'float32',
  });
  assert.equal(cfg.headDim, 16);
});

test('createHfModel: a seeded random OLMo 2 has every tensor of the fixture, with the same shapes', async () => {
  const fixture = loadCheckpoint(join(FIXTURES, 'olmo2-tiny'));
  const config = fixture.config;
  assert.ok(config.arch === 'olmo2');
  const fresh = createHfModel(config, 3);
  try {
    const a = fixture.parameters();
    const b = fresh.parameters();
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    for (const k of Object.keys(a)) assert.deepEqual(b[k].shape, a[k].shape, k);
  } finally {
    fixture.dispose();
    fresh.dispose();
  }
});
