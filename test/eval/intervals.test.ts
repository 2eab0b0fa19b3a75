import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Z95, wilsonInterval } from '../../lib/eval';

const close = (a: number, b: number, tol = 5e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('Wilson interval: textbook values', () => {
  // 0/10: upper = z²/(n+z²).
  const zero = wilsonInterval(0, 10);
  assert.equal(zero.low, 0);
  close(zero.high, (Z95 * Z95) / (10 + Z95 * Z95));
  close(zero.high, 0.27753);
  // 5/10: centred on 0.5, half-width 0.2634.
  const half = wilsonInterval(5, 10);
  close(half.rate, 0.5);
  close(half.low, 0.23659);
  close(half.high, 0.76341);
});

test('Wilson bounds are the roots of (p - b)^2 = z^2 b(1 - b) / n (the score-test inversion)', () => {
  for (const [k, n] of [[24, 100], [1, 100], [33, 100], [95, 100], [3, 7], [700, 1000]]) {
    const p = wilsonInterval(k, n);
    for (const b of [p.low, p.high]) close((k / n - b) ** 2, (Z95 * Z95 * b * (1 - b)) / n, 1e-12);
  }
});

test('Wilson interval: properties', () => {
  for (const n of [1, 7, 100, 1000]) {
    for (let k = 0; k <= n; k += Math.max(1, Math.floor(n / 7))) {
      const p = wilsonInterval(k, n);
      assert.ok(p.low >= 0 && p.high <= 1 && p.low <= p.rate && p.rate <= p.high, `${k}/${n}`);
      const mirror = wilsonInterval(n - k, n);
      close(p.low, 1 - mirror.high, 1e-12);
    }
    assert.equal(wilsonInterval(n, n).high, 1);
  }
  // Narrower with more data, wider with a larger z.
  assert.ok(wilsonInterval(50, 100).high - wilsonInterval(50, 100).low > wilsonInterval(500, 1000).high - wilsonInterval(500, 1000).low);
  assert.ok(wilsonInterval(5, 10, 2.576).high > wilsonInterval(5, 10).high);
});

test('Wilson interval: n = 0 and bad input', () => {
  const none = wilsonInterval(0, 0);
  assert.ok(Number.isNaN(none.rate));
  assert.deepEqual([none.low, none.high], [0, 1]);
  assert.throws(() => wilsonInterval(3, 2), /k must be an integer in \[0, n=2\]/);
  assert.throws(() => wilsonInterval(-1, 2), /k must be/);
  assert.throws(() => wilsonInterval(1, 2.5), /n must be/);
});
