// The replacement Slice/SplitV/Unpack/Identity/Cast kernels: values equal plain-JS
// expectations (from dataSync of the input) on many random shapes, ranks 1-5, and
// equal the stock wasm kernels; buffers are shared and freed correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, patchWasmKernels, unpatchWasmKernels, wasmKernelsPatched } from '../../lib/tensor';
import { createRng, type Rng } from '../../lib/util';
import { naiveSlice, randomBox, randomShape, randomValues, sizeOf } from './reference';

const DTYPES = ['float32', 'int32', 'bool'] as const;

function randomTensor(rng: Rng, shape: number[], dtype: (typeof DTYPES)[number]): tf.Tensor {
  const n = sizeOf(shape);
  if (dtype === 'float32') return tf.tensor(randomValues(rng, n), shape, 'float32');
  if (dtype === 'int32') return tf.tensor(Array.from({ length: n }, () => rng.int(2001) - 1000), shape, 'int32');
  return tf.tensor(Array.from({ length: n }, () => rng.int(2)), shape, 'bool');
}

/** Runs slice/split/unstack on random inputs and checks each output against naive JS. */
function checkRandomSlicing(seed: number, trials: number): void {
  const rng = createRng(seed);
  for (let trial = 0; trial < trials; trial++) {
    const rank = 1 + (trial % 5);
    const dtype = DTYPES[rng.int(DTYPES.length)];
    const shape = randomShape(rng, rank, rank >= 4 ? 5 : 8);
    tf.tidy(() => {
      const x = randomTensor(rng, shape, dtype);
      const xs = Array.from(x.dataSync());
      const label = `${dtype} ${JSON.stringify(shape)}`;

      const { begin, size } = randomBox(rng, shape, true);
      const s = tf.slice(x, begin, size);
      assert.deepEqual(s.shape, size, label);
      assert.equal(s.dtype, dtype);
      assert.deepEqual(Array.from(s.dataSync()), naiveSlice(xs, shape, begin, size), `slice ${label} ${begin} ${size}`);

      const axis = rng.int(rank);
      const cuts: number[] = [];
      for (let left = shape[axis]; left > 0; ) {
        const c = 1 + rng.int(left);
        cuts.push(c);
        left -= c;
      }
      let offset = 0;
      tf.split(x, cuts, axis).forEach((part, k) => {
        const b = shape.map((_, i) => (i === axis ? offset : 0));
        const sz = shape.map((d, i) => (i === axis ? cuts[k] : d));
        assert.deepEqual(Array.from(part.dataSync()), naiveSlice(xs, shape, b, sz), `split ${label} axis ${axis} part ${k}`);
        offset += cuts[k];
      });

      const outs = tf.unstack(x, axis);
      assert.equal(outs.length, shape[axis]);
      outs.forEach((o, k) => {
        assert.deepEqual(o.shape, shape.filter((_, i) => i !== axis));
        const b = shape.map((_, i) => (i === axis ? k : 0));
        const sz = shape.map((d, i) => (i === axis ? 1 : d));
        assert.deepEqual(Array.from(o.dataSync()), naiveSlice(xs, shape, b, sz), `unstack ${label} axis ${axis} #${k}`);
      });

      assert.deepEqual(Array.from(tf.clone(x).dataSync()), xs, `identity ${label}`);
      assert.deepEqual(Array.from(tf.cast(x, dtype).dataSync()), xs, `cast ${label}`);
    });
  }
}

test('initBackend chooses wasm here and patches its kernels', async () => {
  delete process.env.RLVR_BACKEND;
  const report = await initBackend({ backend: 'wasm' });
  assert.equal(report.chosen, 'wasm');
  assert.equal(report.wasmKernelsPatched, true);
  assert.equal(wasmKernelsPatched(), true);
});

test('patched Slice/SplitV/Unpack/Identity/Cast equal naive JS on 300 random shapes (wasm)', async () => {
  await initBackend({ backend: 'wasm' });
  checkRandomSlicing(21, 300);
});

test('the same checks pass on cpu (backends agree)', async () => {
  await initBackend({ backend: 'cpu' });
  checkRandomSlicing(22, 100);
  await initBackend({ backend: 'wasm' });
});

test('patched and stock wasm kernels give identical outputs', async () => {
  await initBackend({ backend: 'wasm' });
  const rng = createRng(23);
  const run = (x: tf.Tensor, begin: number[], size: number[], axis: number): number[][] =>
    tf.tidy(() => [
      tf.slice(x, begin, size),
      ...tf.split(x, 2, axis),
      ...tf.unstack(x, axis),
      tf.clone(x),
      tf.cast(x, x.dtype),
      tf.cast(x, 'int32'), // dtype change: goes to the stock kernel either way
    ].map((t) => Array.from(t.dataSync())));
  for (let trial = 0; trial < 40; trial++) {
    const rank = 1 + (trial % 5);
    const shape = randomShape(rng, rank, 6);
    const axis = rng.int(rank);
    shape[axis] = 2 * (1 + rng.int(3)); // even, so split(x, 2) works
    const x = randomTensor(rng, shape, 'float32');
    const { begin, size } = randomBox(rng, shape);
    const patched = run(x, begin, size, axis);
    unpatchWasmKernels();
    assert.equal(wasmKernelsPatched(), false);
    const stock = run(x, begin, size, axis);
    patchWasmKernels();
    assert.deepEqual(patched, stock, `shape ${shape} axis ${axis}`);
    x.dispose();
  }
});

test('Identity and same-dtype Cast share the buffer; disposal frees it once', async () => {
  await initBackend({ backend: 'wasm' });
  const backend = tf.backend() as BackendWasm;
  const x = tf.tensor([1, 2, 3, 4], [2, 2]);
  const before = backend.numDataIds();
  const y = tf.clone(x);
  const z = tf.cast(x, 'float32');
  assert.equal(backend.numDataIds(), before, 'no new buffers');
  assert.equal(backend.getMemoryOffset(y.dataId), backend.getMemoryOffset(x.dataId));
  x.dispose();
  y.dispose();
  assert.deepEqual(Array.from(z.dataSync()), [1, 2, 3, 4], 'survives its source being disposed');
  z.dispose();
  assert.equal(backend.numDataIds(), before - 1, 'buffer freed after the last reference');
  // A dtype-changing cast still converts (stock kernel).
  const f = tf.tensor([1.7, -2.2, 0]);
  assert.deepEqual(Array.from(tf.cast(f, 'int32').dataSync()), [1, -2, 0]);
  f.dispose();
});

test('slices stay correct when allocating the outputs grows the wasm heap', async () => {
  await initBackend({ backend: 'wasm' });
  // Emscripten's heap view; its buffer is replaced when the memory grows.
  const heap = (): number => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  let grew = false;
  // Each round allocates more than the heap has spare, so makeOutput must grow it.
  for (let n = 1 << 20; n <= 1 << 25 && !grew; n *= 2) {
    const x = tf.range(0, n, 1, 'int32');
    const heapBefore = heap();
    const parts = tf.split(x, 4);
    grew = heap() > heapBefore;
    parts.forEach((p, k) => {
      const v = p.dataSync();
      assert.equal(v[0], (k * n) / 4);
      assert.equal(v[v.length - 1], ((k + 1) * n) / 4 - 1);
    });
    tf.dispose([x, ...parts]);
  }
  assert.ok(grew, 'the heap never grew, so this test did not exercise growth');
});

test('string tensors still slice through the stock kernels', async () => {
  await initBackend({ backend: 'wasm' });
  const s = tf.tensor(['a', 'b', 'c', 'd'], [2, 2], 'string');
  assert.deepEqual(tf.slice(s, [1, 0], [1, 2]).arraySync(), [['c', 'd']]);
  assert.deepEqual(tf.unstack(s, 1).map((t) => t.arraySync()), [['a', 'c'], ['b', 'd']]);
  assert.deepEqual(tf.clone(s).arraySync(), [['a', 'b'], ['c', 'd']]);
});

test('Cast to bool means "nonzero", as on cpu (stock wasm wraps: 0.5 → false, 256 → false)', async () => {
  const floats = [0.5, 2, 0, -1, 256, NaN, -0, 1e-30];
  const ints = [0, 1, -1, 256, 2 ** 31 - 1];
  const want = (xs: number[]): number[] => xs.map((v) => (v !== 0 ? 1 : 0));
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend({ backend });
    tf.tidy(() => {
      assert.deepEqual(Array.from(tf.cast(tf.tensor(floats), 'bool').dataSync()), want(floats), `${backend} float32`);
      assert.deepEqual(Array.from(tf.cast(tf.tensor(ints, [5], 'int32'), 'bool').dataSync()), want(ints), `${backend} int32`);
    });
  }
  await initBackend({ backend: 'wasm' });
});

test('OneHot honours dtype and on/off values on wasm (stock wasm writes int32 bits)', async () => {
  const idList = [2, 0, -1, 3, 1, 7];
  const depth = 4;
  const want = (on: number, off: number): number[] =>
    idList.flatMap((k) => Array.from({ length: depth }, (_, j) => (j === k ? on : off)));
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend({ backend });
    tf.tidy(() => {
      const ids = tf.tensor(idList, [2, 3], 'int32');
      const f = tf.oneHot(ids, depth, 0.9, 0.025, 'float32');
      assert.deepEqual(f.shape, [2, 3, depth]);
      assert.equal(f.dtype, 'float32');
      assert.deepEqual(Array.from(f.dataSync()), want(0.9, 0.025).map(Math.fround), `${backend} float32`);
      assert.deepEqual(Array.from(tf.oneHot(ids, depth).dataSync()), want(1, 0), `${backend} int32`);
      assert.deepEqual(Array.from(tf.oneHot(ids, depth, 1, 0, 'bool').dataSync()), want(1, 0), `${backend} bool`);
    });
  }
  await initBackend({ backend: 'wasm' });
});

test('patched GatherV2 and Concat equal the stock wasm kernels on 300 random shapes', async () => {
  await initBackend({ backend: 'wasm' });
  const rng = createRng(33);
  type Case = { label: string; run: () => tf.Tensor };
  const cases: Case[] = [];
  const held: tf.Tensor[] = [];
  const hold = <T extends tf.Tensor>(t: T): T => {
    held.push(t);
    return t;
  };
  for (let trial = 0; trial < 300; trial++) {
    const rank = 1 + (trial % 5);
    const dtype = DTYPES[rng.int(DTYPES.length)];
    const shape = randomShape(rng, rank, rank >= 4 ? 5 : 9);
    const x = hold(randomTensor(rng, shape, dtype));
    const axis = rng.int(rank);
    const idx = hold(tf.tensor1d(Array.from({ length: rng.int(7) }, () => rng.int(shape[axis])), 'int32'));
    const other = hold(randomTensor(rng, shape.map((d, i) => (i === axis ? 1 + rng.int(4) : d)), dtype));
    const label = `${dtype} ${JSON.stringify(shape)} axis ${axis}`;
    cases.push({ label: `gather ${label} [${idx.dataSync().join(',')}]`, run: () => tf.gather(x, idx, axis) });
    cases.push({ label: `concat ${label}`, run: () => tf.concat([x, other, x], axis) });
  }
  const patchedOut = cases.map((c) => tf.tidy(c.run));
  unpatchWasmKernels();
  try {
    cases.forEach((c, i) => tf.tidy(() => {
      const want = c.run();
      assert.deepEqual(patchedOut[i].shape, want.shape, c.label);
      assert.equal(patchedOut[i].dtype, want.dtype, c.label);
      assert.deepEqual(Array.from(patchedOut[i].dataSync()), Array.from(want.dataSync()), c.label);
    }));
  } finally {
    patchWasmKernels();
  }
  tf.dispose([...patchedOut, ...held]);
  assert.throws(() => tf.gather(tf.tensor1d([1, 2, 3]), tf.tensor1d([3], 'int32')), /index value 3 is not in \[0, 2\]/);
});
