// The blocked KV cache: with blocks small enough that prompts span several of them (and
// several joins of 4 frozen blocks into one), every path (blocks frozen inside a prefill,
// one-token steps over frozen blocks + partial tail, multi-token steps, long inputs that
// rebuild plain keys) gives the full forward's logits; logits 'last'; selectRows keeps the
// chosen rows' results; no tensor leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { createRng } from '../../lib/util';
import { createGpt, loadCheckpoint, type CausalLM, type KVCache } from '../../lib/models';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny');
const B = 3;
const T = 20;
/** Left padding per row: row 1 and 2 are padded. */
const PADS = [0, 3, 7];
/** Chunk lengths fed to forwardCached: 5 and 2 take the blocked path, 10 the plain one (> 8 queries). */
const CHUNKS = [5, 1, 1, 2, 10, 1];

function randomIds(seed: number, vocab: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: B }, () => Array.from({ length: T }, () => rng.int(vocab)));
}

const MASK = PADS.map((p) => Array.from({ length: T }, (_, t) => (t < p ? 0 : 1)));

/** max |a - e| / max(1, max |e|) over the real positions of the given rows. */
function relErr(got: number[][][], full: number[][][], rows: number[]): number {
  let diff = 0;
  let scale = 1;
  rows.forEach((r, i) => {
    for (let t = PADS[r]; t < T; t++) {
      for (let v = 0; v < full[r][t].length; v++) {
        diff = Math.max(diff, Math.abs(got[i][t][v] - full[r][t][v]));
        scale = Math.max(scale, Math.abs(full[r][t][v]));
      }
    }
  });
  return diff / scale;
}

/** Feeds ids[:, from:to] (rows `rows`) through the cache; appends each row's logits. */
function feed(m: CausalLM, cache: KVCache, ids: number[][], rows: number[], from: number, to: number, got: number[][][], logits: 'all' | 'last' = 'all'): void {
  tf.tidy(() => {
    const part = (x: number[][]) => tf.tensor2d(rows.map((r) => x[r].slice(from, to)), [rows.length, to - from], 'int32');
    const out = m.forwardCached(part(ids), cache, { attentionMask: part(MASK), logits }).logits.arraySync() as number[][][];
    out.forEach((pos, i) => got[i].push(...pos));
  });
}

function models(): Array<{ name: string; make: () => CausalLM }> {
  return [
    { name: 'gpt', make: () => createGpt({ vocabSize: 16, dModel: 32, nLayers: 2, nHeads: 4, contextLength: 24, seed: 3 }) },
    ...['qwen2-tiny', 'llama3-tiny', 'olmo2-tiny'].map((f) => ({ name: f, make: () => loadCheckpoint(join(FIXTURES, f)) })),
  ];
}

test('setup: wasm backend', async () => {
  assert.equal((await initBackend({ backend: 'wasm' })).chosen, 'wasm');
});

for (const { name, make } of models()) {
  test(`${name}: cached logits equal the full forward across block boundaries (blocks 4, 3, 1, 64; padded rows; GQA for HF)`, () => {
    const m = make();
    try {
      const ids = randomIds(1, m.config.vocabSize);
      const full = tf.tidy(() => m.forward(tf.tensor2d(ids, [B, T], 'int32'), { attentionMask: tf.tensor2d(MASK, [B, T], 'int32') }).arraySync() as number[][][]);
      for (const block of [4, 3, 1, 64]) {
        const cache = m.initCache(B, T, { blockSize: block });
        const got: number[][][] = [[], [], []];
        let at = 0;
        for (const n of CHUNKS) {
          feed(m, cache, ids, [0, 1, 2], at, at + n, got);
          at += n;
        }
        assert.equal(cache.length, T);
        assert.deepEqual(cache.nextPosition, PADS.map((p) => T - p));
        const err = relErr(got, full, [0, 1, 2]);
        assert.ok(err < 1e-5, `block ${block}: cached vs full relative error ${err}`);
        cache.dispose();
      }
    } finally {
      m.dispose();
    }
  });
}

test("logits 'last' returns only the last position's logits, the same values as 'all'", () => {
  for (const { name, make } of models().slice(0, 2)) {
    const m = make();
    try {
      const ids = randomIds(2, m.config.vocabSize);
      const all: number[][][] = [[], [], []];
      const last: number[][][] = [[], [], []];
      const a = m.initCache(B, T, { blockSize: 4 });
      const l = m.initCache(B, T, { blockSize: 4 });
      let at = 0;
      for (const n of CHUNKS) {
        feed(m, a, ids, [0, 1, 2], at, at + n, all);
        const before = last[0].length;
        feed(m, l, ids, [0, 1, 2], at, at + n, last, 'last');
        assert.equal(last[0].length, before + 1, `${name}: one position per call`);
        at += n;
        for (let r = 0; r < B; r++) {
          const want = all[r][all[r].length - 1];
          const have = last[r][last[r].length - 1];
          want.forEach((x, v) => assert.ok(Math.abs(x - have[v]) < 1e-5, `${name} row ${r} after ${at} tokens`));
        }
      }
      a.dispose();
      l.dispose();
      const c = m.initCache(1, 2);
      assert.throws(() => tf.tidy(() => m.forwardCached(tf.tensor2d([[1]], [1, 1], 'int32'), c, { logits: 'first' as never }).logits), /logits must be 'all' or 'last'/);
      c.dispose();
    } finally {
      m.dispose();
    }
  }
});

test('selectRows keeps the chosen rows: their later logits still equal the full forward; no tensors leak', () => {
  for (const { name, make } of models().slice(0, 2)) {
    const m = make();
    try {
      const ids = randomIds(3, m.config.vocabSize);
      const full = tf.tidy(() => m.forward(tf.tensor2d(ids, [B, T], 'int32'), { attentionMask: tf.tensor2d(MASK, [B, T], 'int32') }).arraySync() as number[][][]);
      const tensorsBefore = tf.memory().numTensors;
      const cache = m.initCache(B, T, { blockSize: 4 });
      const got: number[][][] = [[], [], []];
      feed(m, cache, ids, [0, 1, 2], 0, 9, got); // 9 queries: plain path; two frozen blocks + a tail of 1
      feed(m, cache, ids, [0, 1, 2], 9, 10, got);
      cache.selectRows([0, 2]);
      assert.equal(cache.batch, 2);
      assert.deepEqual(cache.nextPosition, [10, 10 - PADS[2]]);
      assert.deepEqual(cache.keyMask, [MASK[0].slice(0, 10), MASK[2].slice(0, 10)]);
      const kept: number[][][] = [got[0], got[2]];
      for (let t = 10; t < T; t++) feed(m, cache, ids, [0, 2], t, t + 1, kept);
      const err = relErr(kept, full, [0, 2]);
      assert.ok(err < 1e-5, `${name}: after selectRows, relative error ${err}`);
      assert.throws(() => tf.tidy(() => m.forwardCached(tf.tensor2d([[1], [1], [1]], [3, 1], 'int32'), cache).logits), /ids have 3 rows but the cache holds 2/);
      cache.selectRows([1]);
      assert.equal(cache.batch, 1);
      assert.throws(() => cache.selectRows([]), /rows is empty/);
      assert.throws(() => cache.selectRows([1]), /rows\[0\] is 1, not a row index in \[0, 1\)/);
      cache.dispose();
      assert.throws(() => cache.selectRows([0]), /the cache was disposed/);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'every tensor the cache made was freed');
      const c3 = m.initCache(3, 4);
      assert.throws(() => c3.selectRows([0, 0]), /strictly ascending/);
      c3.dispose();
    } finally {
      m.dispose();
    }
  }
});

test('a failed forwardCached leaves the cache usable and leaks nothing', () => {
  const m = createGpt({ vocabSize: 16, dModel: 32, nLayers: 2, nHeads: 4, contextLength: 24, seed: 4 });
  try {
    const ids = randomIds(4, 16);
    const cache = m.initCache(B, 8, { blockSize: 4 });
    const got: number[][][] = [[], [], []];
    feed(m, cache, ids, [0, 1, 2], 0, 5, got);
    const tensors = tf.memory().numTensors;
    assert.throws(() => feed(m, cache, ids, [0, 1, 2], 5, 9, got), /exceed the cache's maxLen 8/);
    assert.throws(() => m.initCache(1, 4, { blockSize: 0 }), /blockSize must be a positive integer/);
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(cache.length, 5);
    feed(m, cache, ids, [0, 1, 2], 5, 8, got);
    assert.equal(cache.length, 8);
    cache.dispose();
  } finally {
    m.dispose();
  }
});

test('repeatRows fans rows out (repeats, any order): later logits equal the full forward of the repeated rows; no tensors leak', () => {
  for (const { name, make } of models().slice(0, 2)) {
    const m = make();
    try {
      const ids = randomIds(5, m.config.vocabSize);
      const order = [2, 0, 0, 2, 1];
      const rep = order.map((r) => ids[r]);
      const repMask = order.map((r) => MASK[r]);
      const full = tf.tidy(() => m.forward(tf.tensor2d(rep, [order.length, T], 'int32'), { attentionMask: tf.tensor2d(repMask, [order.length, T], 'int32') }).arraySync() as number[][][]);
      const tensorsBefore = tf.memory().numTensors;
      const cache = m.initCache(B, T, { blockSize: 4 });
      const got: number[][][] = [[], [], []];
      feed(m, cache, ids, [0, 1, 2], 0, 9, got); // prefill the 3 distinct rows: frozen blocks + a tail
      assert.ok(typeof cache.repeatRows === 'function');
      cache.repeatRows?.(order);
      assert.equal(cache.batch, order.length);
      assert.deepEqual(cache.keyMask, order.map((r) => MASK[r].slice(0, 9)));
      const after: number[][][] = order.map((r) => [...got[r]]);
      for (let t = 9; t < T; t++) {
        tf.tidy(() => {
          const col = (x: number[][]) => tf.tensor2d(x.map((row) => [row[t]]), [x.length, 1], 'int32');
          const out = m.forwardCached(col(rep), cache, { attentionMask: col(repMask) }).logits.arraySync() as number[][][];
          out.forEach((pos, i) => after[i].push(...pos));
        });
      }
      let diff = 0;
      let scale = 1;
      order.forEach((r, i) => { // real positions only (a pad's logits mean nothing)
        for (let t = PADS[r]; t < T; t++) {
          full[i][t].forEach((e, v) => {
            diff = Math.max(diff, Math.abs(after[i][t][v] - e));
            scale = Math.max(scale, Math.abs(e));
          });
        }
      });
      const err = diff / scale;
      assert.ok(err < 1e-5, `${name}: after repeatRows, relative error ${err}`);
      assert.throws(() => cache.repeatRows?.([5]), /rows\[0\] is 5, not a row index in \[0, 5\)/);
      cache.dispose();
      assert.equal(tf.memory().numTensors, tensorsBefore, 'every tensor the cache made was freed');
    } finally {
      m.dispose();
    }
  }
});

test('forwardShared on every architecture: prompts run once, the logits of forward() on the joined rows, bitwise', () => {
  for (const { name, make } of models()) {
    const m = make();
    try {
      const V = m.config.vocabSize;
      const [P, Tp, Ts] = [2, 6, 7];
      const prompts = Array.from({ length: P }, (_, p) => Array.from({ length: Tp }, (_, t) => 1 + ((p * 7 + t * 5) % (V - 1))));
      const rowPrefix = Int32Array.from([0, 1, 1, 0, 1]);
      const suffix = Array.from({ length: rowPrefix.length }, (_, b) => Array.from({ length: Ts }, (_, t) => 1 + ((b * 11 + t * 3) % (V - 1))));
      const joined = suffix.map((s, b) => [...prompts[rowPrefix[b]], ...s]);
      tf.tidy(() => {
        const [got] = m.forwardShared(tf.tensor2d(prompts, [P, Tp], 'int32'), [{ rowPrefix, suffixIds: tf.tensor2d(suffix, [suffix.length, Ts], 'int32') }]);
        const want = tf.slice(m.forward(tf.tensor2d(joined, [joined.length, Tp + Ts], 'int32')), [0, Tp - 1, 0], [joined.length, Ts + 1, V]);
        assert.deepEqual(Array.from(got.dataSync()), Array.from(want.dataSync()), name);
      });
    } finally {
      m.dispose();
    }
  }
});
