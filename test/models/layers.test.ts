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

// Issue 9 replaced autodiff through these by closed-form gradients; the forward kernels are the
// same ones, so values are bitwise those of the old formulation and gradients agree to float32 rounding.
test('layerNorm and geluTanh: bitwise the old forward, gradients within 2e-6 of the old autodiff path', () => {
  const oldLn = (a: tf.Tensor, s: tf.Tensor, c: tf.Tensor) => {
    const xc = tf.sub(a, tf.mean(a, -1, true));
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-5))), s), c);
  };
  const oldGelu = (a: tf.Tensor) => tf.mul(a, tf.sigmoid(tf.mul(tf.add(a, tf.mul(tf.mul(tf.square(a), a), 0.044715)), 2 * Math.sqrt(2 / Math.PI))));
  tf.tidy(() => {
    const x = tf.mul(rnd([64, 18, 64], 11), 2);
    const g = tf.add(rnd([64], 12), 1);
    const b = rnd([64], 13);
    const h = tf.mul(rnd([64, 18, 256], 14), 3);
    assert.deepEqual(Array.from(layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).dataSync()), Array.from(oldLn(x, g, b).dataSync()), 'layerNorm forward');
    assert.deepEqual(Array.from(geluTanh(h).dataSync()), Array.from(oldGelu(h).dataSync()), 'gelu forward');
    const dyLn = rnd(x.shape, 15);
    const dyG = rnd(h.shape, 16);
    const gotLn = tf.grads((a, s, c) => tf.sum(tf.mul(layerNorm(a, s as tf.Tensor1D, c as tf.Tensor1D, 1e-5), dyLn)))([x, g, b]);
    const wantLn = tf.grads((a, s, c) => tf.sum(tf.mul(oldLn(a, s, c), dyLn)))([x, g, b]);
    gotLn.forEach((gr, i) => assert.ok(maxRelDiff(gr, wantLn[i]) < 2e-6, `layerNorm gradient ${i}: ${maxRelDiff(gr, wantLn[i])}`));
    const gotG = tf.grad((a) => tf.sum(tf.mul(geluTanh(a), dyG)))(h);
    const wantG = tf.grad((a) => tf.sum(tf.mul(oldGelu(a), dyG)))(h);
    assert.ok(maxRelDiff(gotG, wantG) < 2e-6, `gelu gradient: ${maxRelDiff(gotG, wantG)}`);
  });
});

test('short attention: one batched matmul per product gives the bmm loop\'s values and gradients; its softmax ignores padding exactly', async () => {
  const { attention, attentionSoftmax, SHORT_ATTENTION_MACS } = await import('../../lib/models/layers');
  const { bmm } = await import('../../lib/tensor');
  const [B, H, T, hd] = [6, 4, 18, 16];
  assert.ok(T * T * hd <= SHORT_ATTENTION_MACS, 'the organism\'s shape takes the batched path');
  tf.tidy(() => {
    const mask = tf.tensor4d(Array.from({ length: B * T * T }, (_, i) => ((i % T) > Math.floor(i / T) % T ? -1e9 : 0)), [B, 1, T, T]);
    // The path before issue 9: bmm (a loop of 2-D matmuls) and tf.softmax.
    const old = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => {
      const q3 = tf.reshape(tf.mul(q, 1 / Math.sqrt(hd)), [B * H, T, hd]) as tf.Tensor3D;
      const kT = tf.reshape(tf.transpose(k, [0, 1, 3, 2]), [B * H, hd, T]) as tf.Tensor3D;
      const p = tf.reshape(tf.softmax(tf.add(tf.reshape(bmm(q3, kT), [B, H, T, T]), mask), -1), [B * H, T, T]) as tf.Tensor3D;
      const out = bmm(p, tf.reshape(v, [B * H, T, hd]) as tf.Tensor3D);
      return tf.reshape(tf.transpose(tf.reshape(out, [B, H, T, hd]), [0, 2, 1, 3]), [B, T, H * hd]);
    };
    const q = rnd([B, H, T, hd], 21);
    const k = rnd([B, H, T, hd], 22);
    const v = rnd([B, H, T, hd], 23);
    const now = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => attention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, mask, true);
    sameGrads('attention (batched) vs bmm loop', now, old, [q, k, v]);
    const dy = rnd([B, T, H * hd], 24);
    const got = tf.grads((a, b, c) => tf.sum(tf.mul(now(a, b, c), dy)))([q, k, v]);
    const want = tf.grads((a, b, c) => tf.sum(tf.mul(old(a, b, c), dy)))([q, k, v]);
    got.forEach((g, i) => assert.ok(maxRelDiff(g, want[i]) < 2e-6, `attention gradient ${i}: ${maxRelDiff(g, want[i])}`));
    // attentionSoftmax: tf.softmax's values and gradient, and a row's value does not depend on masked padding.
    const x = tf.mul(rnd([40, 7], 25), 3);
    sameGrads('attentionSoftmax', attentionSoftmax, (a) => tf.softmax(a, -1), [x]);
    const padded = tf.concat([x, tf.fill([40, 11], -1e9)], 1);
    assert.deepEqual(Array.from(tf.slice(attentionSoftmax(padded), [0, 0], [40, 7]).dataSync()), Array.from(attentionSoftmax(x).dataSync()));
  });
});
