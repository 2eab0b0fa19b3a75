// mm / bmm / linear / embed / tidyFn on wasm AND cpu: values and gradients equal plain
// tfjs ops (tf.matMul, tf.gather) within float32 tolerance on seeded random inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { bmm, embed, initBackend, linear, mm, tidyFn, type BackendName } from '../../lib/tensor';
import { createRng, type Rng } from '../../lib/util';
import { maxAbsDiff, randomValues, sizeOf } from './reference';

function rand(rng: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(randomValues(rng, sizeOf(shape)), shape, 'float32');
}

/** Asserts two tensors have the same shape and values within float32 accumulation error. */
function assertClose(actual: tf.Tensor, expected: tf.Tensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let scale = 1;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, 1 + Math.abs(e[i]));
  const diff = maxAbsDiff(a, e);
  assert.ok(diff <= 1e-5 * scale, `${what}: max |diff| ${diff} (scale ${scale})`);
}

/** Values and gradients (under a random upstream dy) of f and ref agree. */
function assertSameValueAndGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor, ref: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], rng: Rng, what: string,
): void {
  tf.tidy(() => {
    const value = f(...inputs);
    assertClose(value, ref(...inputs), `${what} value`);
    const dy = rand(rng, value.shape);
    const got = tf.grads(f)(inputs, dy);
    const want = tf.grads(ref)(inputs, dy);
    got.forEach((g, i) => assertClose(g, want[i], `${what} grad of input ${i}`));
  });
}

for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  test(`${backend}: mm equals tf.matMul, values and gradients`, async () => {
    await initBackend({ backend });
    const rng = createRng(31);
    for (const [m, k, n] of [[3, 5, 7], [1, 4, 1], [16, 33, 9], [64, 64, 64]]) {
      const inputs = [rand(rng, [m, k]), rand(rng, [k, n])];
      assertSameValueAndGrads((a, b) => mm(a as tf.Tensor2D, b as tf.Tensor2D), (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), inputs, rng, `mm ${m}x${k}x${n}`);
      tf.dispose(inputs);
    }
  });

  test(`${backend}: bmm equals batched tf.matMul, values and gradients`, async () => {
    await initBackend({ backend });
    const rng = createRng(32);
    for (const [nb, t, k, m] of [[1, 3, 4, 5], [6, 7, 8, 3], [8, 16, 8, 16]]) {
      const inputs = [rand(rng, [nb, t, k]), rand(rng, [nb, k, m])];
      assertSameValueAndGrads((a, b) => bmm(a as tf.Tensor3D, b as tf.Tensor3D), (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), inputs, rng, `bmm ${nb}x${t}x${k}x${m}`);
      tf.dispose(inputs);
    }
  });

  test(`${backend}: linear equals reshape + tf.matMul + bias, any rank, with and without bias`, async () => {
    await initBackend({ backend });
    const rng = createRng(33);
    for (const xShape of [[4], [3, 4], [2, 3, 4], [2, 1, 3, 4]]) {
      const w = rand(rng, [4, 5]);
      const b = rand(rng, [5]);
      const x = rand(rng, xShape);
      const outShape = [...xShape.slice(0, -1), 5];
      const ref = (xx: tf.Tensor, ww: tf.Tensor, bb?: tf.Tensor): tf.Tensor => {
        const y = tf.matMul(tf.reshape(xx, [-1, 4]) as tf.Tensor2D, ww as tf.Tensor2D);
        return tf.reshape(bb === undefined ? y : tf.add(y, bb), outShape);
      };
      assertSameValueAndGrads((xx, ww, bb) => linear(xx, ww as tf.Tensor2D, bb as tf.Tensor1D), ref, [x, w, b], rng, `linear ${xShape} with bias`);
      assertSameValueAndGrads((xx, ww) => linear(xx, ww as tf.Tensor2D), (xx, ww) => ref(xx, ww), [x, w], rng, `linear ${xShape}`);
      tf.dispose([w, b, x]);
    }
  });

  test(`${backend}: embed equals tf.gather; its gradient is the scatter-add of dy`, async () => {
    await initBackend({ backend });
    const rng = createRng(34);
    const [vocab, dim] = [11, 6];
    const table = rand(rng, [vocab, dim]) as tf.Tensor2D;
    const idsShape = [3, 4];
    const idList = Array.from({ length: 12 }, () => rng.int(vocab));
    idList[5] = idList[2]; // a repeated id, whose gradient rows must add up
    const ids = tf.tensor(idList, idsShape, 'int32');
    tf.tidy(() => {
      const out = embed(ids, table);
      assert.deepEqual(out.shape, [3, 4, dim]);
      assertClose(out, tf.reshape(tf.gather(table, tf.reshape(ids, [-1])), [3, 4, dim]), 'embed value');
      const dy = rand(rng, [3, 4, dim]);
      const [dTable] = tf.grads((t: tf.Tensor) => embed(ids, t as tf.Tensor2D))([table], dy);
      const want = new Float32Array(vocab * dim);
      const dyv = dy.dataSync();
      idList.forEach((v, i) => {
        for (let d = 0; d < dim; d++) want[v * dim + d] += dyv[i * dim + d];
      });
      assertClose(dTable, tf.tensor(want, [vocab, dim]), 'embed grad');
    });
    tf.dispose([table, ids]);
  });

  test(`${backend}: gradients of mm/bmm/linear/embed leak no tensors`, async () => {
    await initBackend({ backend });
    const rng = createRng(35);
    const a = rand(rng, [4, 6]);
    const w = rand(rng, [6, 3]);
    const q = rand(rng, [2, 4, 6]);
    const kT = rand(rng, [2, 6, 4]);
    const table = rand(rng, [5, 6]) as tf.Tensor2D;
    const ids = tf.tensor([[0, 4, 2, 2]], [1, 4], 'int32');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const loss = (x: tf.Tensor, ww: tf.Tensor, qq: tf.Tensor, kk: tf.Tensor, tt: tf.Tensor): tf.Scalar =>
        tf.add(
          tf.sum(mm(linear(tf.add(x, embed(ids, tt as tf.Tensor2D).reshape([4, 6])), ww as tf.Tensor2D) as tf.Tensor2D, tf.ones([3, 2]) as tf.Tensor2D)),
          tf.sum(bmm(qq as tf.Tensor3D, kk as tf.Tensor3D)),
        ) as tf.Scalar;
      const grads = tf.grads(loss)([a, w, q, kT, table]);
      assert.equal(grads.length, 5);
    });
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([a, w, q, kT, table, ids]);
  });
}

/** BatchMatMul calls in a profile whose operands multiply as given, i.e. without transpose flags. */
async function matmulShapes(f: () => tf.TensorContainer): Promise<{ plain: number; transposed: number }> {
  const info = await tf.profile(() => {
    const out = f();
    return out;
  });
  let plain = 0;
  let transposed = 0;
  for (const k of info.kernels) {
    if (k.name !== 'BatchMatMul') continue;
    const [sa, sb] = k.inputShapes;
    if (sa[sa.length - 1] === sb[sb.length - 2]) plain++;
    else transposed++;
  }
  return { plain, transposed };
}

test('wasm: mm and bmm backward run only untransposed matmuls (the XNNPACK path); tf.matMul does not', async () => {
  await initBackend({ backend: 'wasm' });
  const rng = createRng(36);
  const a = rand(rng, [3, 5]) as tf.Tensor2D;
  const b = rand(rng, [5, 7]) as tf.Tensor2D;
  const mine = await matmulShapes(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => mm(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]));
  assert.deepEqual(mine, { plain: 3, transposed: 0 });
  const stock = await matmulShapes(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D))([a, b]));
  assert.ok(stock.transposed > 0, 'control: tf.matMul gradients use transpose flags');
  const q = rand(rng, [4, 3, 5]) as tf.Tensor3D;
  const k = rand(rng, [4, 5, 7]) as tf.Tensor3D;
  const batched = await matmulShapes(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => bmm(x as tf.Tensor3D, y as tf.Tensor3D))([q, k]));
  assert.deepEqual(batched, { plain: 12, transposed: 0 }, '4 forward + 8 backward 2-D matmuls');
  tf.dispose([a, b, q, k]);
});

test('errors name the argument, the expected and the received shape', async () => {
  await initBackend({ backend: 'wasm' });
  tf.tidy(() => {
    const a3 = tf.zeros([32, 128, 64]) as unknown as tf.Tensor2D;
    assert.throws(() => mm(a3, tf.zeros([64, 8]) as tf.Tensor2D), /^Error: mm: a is \[32,128,64\] but mm takes 2-D inputs; reshape to \[4096,64\] first/);
    assert.throws(() => mm(tf.zeros([4, 8]) as tf.Tensor2D, tf.zeros([5, 3]) as tf.Tensor2D), /mm: a \[4,8\] x b \[5,3\]: a's columns is 8 but b's rows is 5/);
    assert.throws(() => mm(tf.zeros([2, 2], 'int32') as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D), /mm: a has dtype int32 but mm takes float32/);
    assert.throws(() => mm([[1]] as unknown as tf.Tensor2D, tf.zeros([1, 1]) as tf.Tensor2D), /mm: a must be a tf.Tensor, received an array/);
    assert.throws(() => bmm(tf.zeros([2, 3, 4]) as tf.Tensor3D, tf.zeros([3, 4, 5]) as tf.Tensor3D), /bmm: .*a's batch N is 2 but b's batch N is 3/);
    assert.throws(() => bmm(tf.zeros([3, 4]) as unknown as tf.Tensor3D, tf.zeros([3, 4, 5]) as tf.Tensor3D), /bmm: a is \[3,4\] but bmm takes 3-D inputs/);
    assert.throws(() => linear(tf.zeros([2, 3]), tf.zeros([4, 5]) as tf.Tensor2D), /linear: x \[2,3\] x w \[4,5\]: x's last dim is 3 but w's rows \(in\) is 4/);
    assert.throws(() => linear(tf.zeros([2, 4]), tf.zeros([4, 5]) as tf.Tensor2D, tf.zeros([4]) as tf.Tensor1D), /linear: b \[4\] for w \[4,5\]: b's length is 4 but w's columns \(out\) is 5/);
    const table = tf.zeros([10, 4]) as tf.Tensor2D;
    assert.throws(() => embed(tf.tensor([[1, 10]], [1, 2], 'int32'), table), /embed: ids \(shape \[1,2\]\) holds 10 at flat index 1, outside the table's \[0, 10\)/);
    assert.throws(() => embed(tf.tensor([1, 2]), table), /embed: ids has dtype float32 but embed takes int32/);
  });
});

test('tidyFn frees intermediates and keeps the result', async () => {
  await initBackend({ backend: 'wasm' });
  const x = tf.tensor([1, 2, 3]);
  const before = tf.memory().numTensors;
  const f = tidyFn('square-plus-one', (t: tf.Tensor) => tf.add(tf.square(t), 1));
  const y = f(x);
  assert.equal(tf.memory().numTensors, before + 1);
  assert.deepEqual(Array.from(y.dataSync()), [2, 5, 10]);
  tf.dispose([x, y]);
});
