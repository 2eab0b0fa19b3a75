// The WebGPU backend patches (lib/tensor/webgpu-patches.ts), on a stand-in backend object with
// the three members they use: CI has no GPU, so this checks the patch logic; bench/gpu-check.sh
// checks it on a real adapter (bench/results/h100-webgpu-gpu-check.log). Also addMany (the
// chunked AddN the WebGPU backend needs), dawnFlags, and patchWebgpuBackend on non-WebGPU backends.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ADD_N_CHUNK, addMany, dawnFlags, HOST_COPY_MAX_ELEMENTS, initBackend, patchWebgpuBackend, SCALAR_BUFFERS_MAX } from '../../lib/tensor';

interface FakeData { values: ArrayLike<number> | null; dtype: string; resource?: unknown; external?: boolean }
interface FakeBuffer { size: number; mapped: ArrayBuffer; unmapped: boolean; getMappedRange(): ArrayBuffer; unmap(): void }

/** Mimics tfjs-backend-webgpu: uploadToGPU allocates a resource and drops the host values. */
function fakeBackend() {
  const tensorMap = new Map<object, FakeData>();
  const created: FakeBuffer[] = [];
  const uploads: object[] = [];
  return {
    tensorMap, created, uploads,
    device: {
      createBuffer(d: { size: number; usage: number; mappedAtCreation: boolean }): FakeBuffer {
        const b: FakeBuffer = { size: d.size, mapped: new ArrayBuffer(d.size), unmapped: false, getMappedRange() { return this.mapped; }, unmap() { this.unmapped = true; } };
        created.push(b);
        return b;
      },
    },
    uploadToGPU(dataId: object): void {
      const d = tensorMap.get(dataId)!;
      if (d.resource != null) return;
      uploads.push(dataId);
      d.resource = { uploadedFrom: d.values === null ? null : Array.from(d.values) };
      d.values = null;
    },
  };
}

const G = globalThis as unknown as { GPUBufferUsage?: { STORAGE: number; COPY_SRC: number; COPY_DST: number } };
const hadUsage = 'GPUBufferUsage' in G;
G.GPUBufferUsage ??= { STORAGE: 128, COPY_SRC: 4, COPY_DST: 8 };
after(() => { if (!hadUsage) delete G.GPUBufferUsage; });

test('scalars share one external buffer per dtype and value; their host value stays', () => {
  const be = fakeBackend();
  assert.equal(patchWebgpuBackend(be), true);
  assert.equal(patchWebgpuBackend(be), true, 'patching twice is a no-op');
  const ids = [{}, {}, {}, {}, {}];
  be.tensorMap.set(ids[0], { values: Float32Array.of(0.5), dtype: 'float32' });
  be.tensorMap.set(ids[1], { values: Float32Array.of(0.5), dtype: 'float32' });
  be.tensorMap.set(ids[2], { values: Int32Array.of(3), dtype: 'int32' });
  be.tensorMap.set(ids[3], { values: Float32Array.of(-0), dtype: 'float32' });
  be.tensorMap.set(ids[4], { values: Float32Array.of(0), dtype: 'float32' });
  ids.forEach((id) => be.uploadToGPU(id));
  const d = ids.map((id) => be.tensorMap.get(id)!);
  assert.equal(be.uploads.length, 0, 'no scalar went through the stock upload');
  assert.equal(d[0].resource, d[1].resource, 'same value, same buffer');
  assert.notEqual(d[0].resource, d[2].resource);
  assert.notEqual(d[3].resource, d[4].resource, '-0 and 0 are different bit patterns');
  assert.equal(be.created.length, 4);
  for (const x of d) {
    assert.equal(x.external, true, 'external: the backend must never release or reuse it');
    assert.equal((x.values as ArrayLike<number>).length, 1, 'host value kept');
  }
  const [half, three] = [be.created[0], be.created[1]];
  assert.equal(half.size, 4);
  assert.ok(half.unmapped && three.unmapped);
  assert.equal(new Float32Array(half.mapped)[0], 0.5);
  assert.equal(new Int32Array(three.mapped)[0], 3);
  assert.ok(Object.is(new Float32Array(be.created[2].mapped)[0], -0));
});

test('small inputs upload as before but keep their host copy; large ones and GPU results do not', () => {
  const be = fakeBackend();
  patchWebgpuBackend(be);
  const small = {}, large = {}, computed = {};
  be.tensorMap.set(small, { values: Int32Array.of(1, 2, 3), dtype: 'int32' });
  be.tensorMap.set(large, { values: new Float32Array(HOST_COPY_MAX_ELEMENTS + 1), dtype: 'float32' });
  be.tensorMap.set(computed, { values: null, dtype: 'float32' });
  for (const id of [small, large, computed]) be.uploadToGPU(id);
  assert.deepEqual(be.uploads, [small, large, computed], 'every non-scalar goes through the stock upload');
  assert.deepEqual(Array.from(be.tensorMap.get(small)!.values!), [1, 2, 3]);
  assert.deepEqual((be.tensorMap.get(small)!.resource as { uploadedFrom: number[] }).uploadedFrom, [1, 2, 3]);
  assert.equal(be.tensorMap.get(large)!.values, null, 'above HOST_COPY_MAX_ELEMENTS the copy is dropped');
  assert.equal(be.tensorMap.get(small)!.external, undefined);
  assert.equal(be.created.length, 0);
});

test('scalar buffers stop at SCALAR_BUFFERS_MAX distinct values; strings and other dtypes upload as usual', () => {
  const be = fakeBackend();
  patchWebgpuBackend(be);
  for (let i = 0; i <= SCALAR_BUFFERS_MAX; i++) {
    const id = {};
    be.tensorMap.set(id, { values: Float32Array.of(i), dtype: 'float32' });
    be.uploadToGPU(id);
  }
  assert.equal(be.created.length, SCALAR_BUFFERS_MAX);
  assert.equal(be.uploads.length, 1, 'the value past the cap uploads normally');
  const c = {};
  be.tensorMap.set(c, { values: Float32Array.of(1), dtype: 'complex64' });
  be.uploadToGPU(c);
  assert.equal(be.uploads.length, 2);
});

test('patchWebgpuBackend leaves other backends alone', async () => {
  await initBackend({ backend: 'cpu' });
  assert.equal(patchWebgpuBackend(), false);
  assert.equal(patchWebgpuBackend({ uploadToGPU() {} }), false);
});

test('addMany equals tf.addN for 1 to 3 chunks of inputs, and refuses none', async () => {
  await initBackend({ backend: 'cpu' });
  for (const n of [1, 2, ADD_N_CHUNK, ADD_N_CHUNK + 1, 3 * ADD_N_CHUNK + 2]) {
    tf.tidy(() => {
      const ts = Array.from({ length: n }, (_, i) => tf.tensor1d([i, 0.5 * i, -i, 1 / (i + 1)]));
      const got = addMany(ts).dataSync();
      const want = tf.addN(ts).dataSync();
      for (let k = 0; k < want.length; k++) assert.ok(Math.abs(got[k] - want[k]) <= 1e-5 * (1 + Math.abs(want[k])), `n=${n}, [${k}]: ${got[k]} vs ${want[k]}`);
    });
  }
  const before = tf.memory().numTensors;
  const a = tf.scalar(1), b = tf.scalar(2);
  const s = addMany(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b)));
  assert.equal(s.dataSync()[0], 30);
  assert.equal(tf.memory().numTensors, before + 3, 'only the result survives (besides the two inputs)');
  tf.dispose([a, b, s]);
  assert.throws(() => addMany([]), /no tensors/);
});

test("dawnFlags splits $RLVR_WEBGPU_FLAGS on ';' (a flag's value may hold commas)", () => {
  assert.deepEqual(dawnFlags({}), []);
  assert.deepEqual(dawnFlags({ RLVR_WEBGPU_FLAGS: ' backend=vulkan ; enable-dawn-features=a,b;' }), ['backend=vulkan', 'enable-dawn-features=a,b']);
});
