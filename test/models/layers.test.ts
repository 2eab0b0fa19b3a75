// The building blocks with hand-written gradients (bias, norm scale/shift as ones-matmuls;
// GELU through sigmoid) give the values and gradients of the plain formulas under autodiff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { addBias, dense, geluTanh, layerNorm, rmsNorm } from '../../lib/models';

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]));
}

/** Checks f against ref: same value, same gradients w.r.t. every input, under a random cotangent. */
function sameGrads(name: string, f: (...xs: tf.Tensor[]) => tf.Tensor, ref: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): void {
  tf.tidy(() => {
    const dy = tf.randomNormal(f(...inputs).shape, 0, 1, 'float32', 9);
    assert.ok(maxRelDiff(f(...inputs), ref(...inputs)) < 1e-5, `${name}: value`);
    const loss = (g: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(g(...xs), dy));
    const got = tf.grads(loss(f))(inputs);
    const want = tf.grads(loss(ref))(inputs);
    got.forEach((g, i) => {
      assert.deepEqual(g.shape, inputs[i].shape, `${name}: gradient ${i} shape`);
      const d = maxRelDiff(g, want[i]);
      assert.ok(d < 1e-4, `${name}: gradient ${i} relative diff ${d}`);
    });
  });
}

const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

test('setup: wasm backend', async () => {
  assert.equal((await initBackend({ backend: 'wasm' })).chosen, 'wasm');
});

test('addBias and dense: values and gradients equal x·w + b under autodiff', () => {
  const x = rnd([3, 5, 8], 1);
  const w = rnd([8, 6], 2) as tf.Tensor2D;
  const b = rnd([6], 3) as tf.Tensor1D;
  sameGrads('addBias', (y, c) => addBias(y, c as tf.Tensor1D), (y, c) => tf.add(y, c), [rnd([3, 5, 6], 4), b]);
  sameGrads('dense', (a, m, c) => dense(a, m as tf.Tensor2D, c as tf.Tensor1D),
    (a, m, c) => tf.add(tf.reshape(tf.matMul(tf.reshape(a, [-1, 8]) as tf.Tensor2D, m as tf.Tensor2D), [3, 5, 6]), c), [x, w, b]);
  tf.dispose([x, w, b]);
});

test('layerNorm and rmsNorm: values and gradients (input, scale, shift) equal the plain formulas', () => {
  const x = rnd([4, 3, 16], 5);
  const g = tf.add(rnd([16], 6), 1) as tf.Tensor1D;
  const b = rnd([16], 7) as tf.Tensor1D;
  const plainLn = (a: tf.Tensor, s: tf.Tensor, c: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), s), c);
  };
  sameGrads('layerNorm', (a, s, c) => layerNorm(a, s as tf.Tensor1D, c as tf.Tensor1D, 1e-5), plainLn, [x, g, b]);
  const plainRms = (a: tf.Tensor, s: tf.Tensor) => tf.mul(tf.div(a, tf.sqrt(tf.add(tf.mean(tf.square(a), -1, true), 1e-6))), s);
  sameGrads('rmsNorm', (a, s) => rmsNorm(a, s as tf.Tensor1D, 1e-6), plainRms, [x, g]);
  tf.dispose([x, g, b]);
});

test('geluTanh equals 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x³))), gradient included', () => {
  const x = tf.mul(rnd([7, 9], 8), 3);
  const c = Math.sqrt(2 / Math.PI);
  sameGrads('geluTanh', geluTanh, (a) => tf.mul(tf.mul(a, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(a, tf.mul(0.044715, tf.pow(a, 3))), c)))), [x]);
  x.dispose();
});
