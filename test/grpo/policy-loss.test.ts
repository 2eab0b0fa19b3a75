// Policy losses: hand-computed per-token values and clip metrics, gradients against float64
// finite differences, and the exact ratio 1 when logp equals oldLogp. Run on wasm and cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../../lib/tensor';
import { POLICY_LOSSES, grpoLoss, readMetrics, type GrpoLossConfig, type PolicyLossOutput } from '../../lib/grpo';

const ln = Math.log;
const t2 = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows);

function closeArr(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Central finite differences (float64, step 1e-6) of f at every entry of the matrix x. */
function centralDifferences(f: (x: number[][]) => number, x: number[][]): number[] {
  const h = 1e-6;
  const fd: number[] = [];
  for (let i = 0; i < x.length; i++) for (let t = 0; t < x[i].length; t++) {
    const up = x.map((r) => [...r]), dn = x.map((r) => [...r]);
    up[i][t] += h; dn[i][t] -= h;
    fd.push((f(up) - f(dn)) / (2 * h));
  }
  return fd;
}

function metricsOf(out: PolicyLossOutput): Record<string, number> {
  return readMetrics(out.metrics as unknown as Record<string, tf.Scalar>);
}

const cfgBase: GrpoLossConfig = {
  policyLoss: 'ppo_clip', epsLow: 0.2, epsHigh: 0.2, dualClip: null, aggregation: 'token-mean', microBatchSize: 1,
  lossNormaliser: null, klCoef: 0, klEstimator: 'k1', entropyCoef: 0,
};

for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  test(`${backend}: ppo_clip per-token values, both clip sides, dual clip`, async () => {
    await initBackend({ backend });
    tf.tidy(() => {
      // Ratios: row 0 (A = +1) ρ = 1.5, 0.5, 1.1 ; row 1 (A = −1) ρ = 0.5, 1.5, 4.
      const old = t2([[-1, -1, -1], [-2, -2, -2]]);
      const logp = t2([[-1 + ln(1.5), -1 + ln(0.5), -1 + ln(1.1)], [-2 + ln(0.5), -2 + ln(1.5), -2 + ln(4)]]);
      const x = { logp, oldLogp: old, adv: tf.tensor1d([1, -1]), mask: tf.ones([2, 3]) as tf.Tensor2D };
      // ℓ = −min(ρA, clip(ρ, 0.8, 1.2)A)
      // A=+1: ρ=1.5 → −min(1.5, 1.2) = −1.2; ρ=0.5 → −min(0.5, 0.8) = −0.5; ρ=1.1 → −1.1
      // A=−1: ρ=0.5 → −min(−0.5, −0.8) = 0.8; ρ=1.5 → −min(−1.5, −1.2) = 1.5; ρ=4 → 4
      const plain = POLICY_LOSSES.ppo_clip(x, { epsLow: 0.2, epsHigh: 0.2, dualClip: null });
      closeArr(plain.lossPerToken.dataSync(), [-1.2, -0.5, -1.1, 0.8, 1.5, 4], 1e-5, 'ppo_clip');
      const m = metricsOf(plain);
      // low: ρ < 0.8 and A < 0 → (1,0); high: ρ > 1.2 and A > 0 → (0,0). Of 6 tokens.
      assert.ok(Math.abs(m.clipFracLow - 1 / 6) < 1e-6, `clipFracLow ${m.clipFracLow}`);
      assert.ok(Math.abs(m.clipFracHigh - 1 / 6) < 1e-6, `clipFracHigh ${m.clipFracHigh}`);
      // First tokens: (0,0) ρ=1.5, A>0 → high; (1,0) ρ=0.5, A<0 → low. Of 2 first tokens.
      assert.equal(m.clipFracLowFirstToken, 0.5);
      assert.equal(m.clipFracHighFirstToken, 0.5);
      assert.ok(Math.abs(m.ratioMax - 4) < 1e-5 && Math.abs(m.ratioMin - 0.5) < 1e-6);
      assert.ok(Math.abs(m.ratioMean - (1.5 + 0.5 + 1.1 + 0.5 + 1.5 + 4) / 6) < 1e-5);
      const dlt = [ln(1.5), ln(0.5), ln(1.1), ln(0.5), ln(1.5), ln(4)];
      assert.ok(Math.abs(m.approxKl - -dlt.reduce((s, d) => s + d, 0) / 6) < 1e-6, `approxKl ${m.approxKl}`);
      // Dual clip c = 3 caps the A<0, ρ=4 token at −A·c = 3; separate ε_h = 0.6 un-clips ρ = 1.5 with A > 0.
      const dual = POLICY_LOSSES.ppo_clip(x, { epsLow: 0.2, epsHigh: 0.6, dualClip: 3 });
      closeArr(dual.lossPerToken.dataSync(), [-1.5, -0.5, -1.1, 0.8, 1.5, 3], 1e-5, 'dual clip, ε_h 0.6');
      const md = metricsOf(dual);
      assert.ok(Math.abs(md.clipFracDual - 1 / 6) < 1e-6);
      assert.equal(md.clipFracHigh, 0);
      // no_clip: −ρA everywhere.
      closeArr(POLICY_LOSSES.no_clip(x, cfgBase).lossPerToken.dataSync(), [-1.5, -0.5, -1.1, 0.5, 1.5, 4], 1e-5, 'no_clip');
      const mn = metricsOf(POLICY_LOSSES.no_clip(x, cfgBase));
      assert.deepEqual([mn.clipFracLow, mn.clipFracHigh], [0, 0]);
    });
  });

  test(`${backend}: clip fractions count response tokens only; first token = first masked position`, async () => {
    await initBackend({ backend });
    tf.tidy(() => {
      // Row 0 starts at column 1 (left padding), row 1 ends at column 1 (right padding).
      const mask = t2([[0, 1, 1], [1, 1, 0]]);
      const logp = t2([[ln(2), ln(2), ln(1)], [ln(1), ln(2), ln(2)]]); // oldLogp 0 → ρ = e^logp
      const x = { logp, oldLogp: tf.zeros([2, 3]) as tf.Tensor2D, adv: tf.tensor2d([[1, 1, 1], [1, 1, 1]]), mask };
      const m = metricsOf(POLICY_LOSSES.ppo_clip(x, { epsLow: 0.2, epsHigh: 0.2, dualClip: null }));
      // Response tokens: (0,1) ρ2, (0,2) ρ1, (1,0) ρ1, (1,1) ρ2 → 2 of 4 above 1.2 with A > 0.
      assert.equal(m.clipFracHigh, 0.5);
      // First response tokens: (0,1) ρ=2 → high; (1,0) ρ=1 → not.
      assert.equal(m.clipFracHighFirstToken, 0.5);
      assert.equal(m.ratioMax, 2);
    });
  });

  test(`${backend}: logp identical to oldLogp gives ratio exactly 1 and no clipping`, async () => {
    await initBackend({ backend });
    tf.tidy(() => {
      const logp = tf.logSoftmax(tf.tensor2d([[0.3, -1.7, 2.2], [1e-3, 5, -3]])) as tf.Tensor2D;
      const oldLogp = tf.logSoftmax(tf.tensor2d([[0.3, -1.7, 2.2], [1e-3, 5, -3]])) as tf.Tensor2D;
      for (const name of ['ppo_clip', 'gspo'] as const) {
        const m = metricsOf(POLICY_LOSSES[name]({ logp, oldLogp, adv: tf.tensor1d([2, -2]), mask: tf.ones([2, 3]) as tf.Tensor2D }, { epsLow: 0, epsHigh: 0, dualClip: null }));
        assert.equal(m.ratioMaxAbsDev, 0, name);
        assert.deepEqual([m.ratioMin, m.ratioMax, m.clipFracLow, m.clipFracHigh, m.approxKl], [1, 1, 0, 0, 0], name);
      }
    });
  });

  test(`${backend}: gspo uses the sequence ratio exp(mean Δ) for every token of the row`, async () => {
    await initBackend({ backend });
    tf.tidy(() => {
      // Row 0: Δ = [ln 2, 0] → s = √2 ≈ 1.414 (A=+1: clipped to 1.2). Row 1: Δ = [ln 1.1, (pad) ln 9] → s = 1.1 (pad ignored).
      const x = {
        logp: t2([[ln(2), 0], [ln(1.1), ln(9)]]), oldLogp: tf.zeros([2, 2]) as tf.Tensor2D,
        adv: tf.tensor1d([1, -1]), mask: t2([[1, 1], [1, 0]]),
      };
      const out = POLICY_LOSSES.gspo(x, { epsLow: 0.2, epsHigh: 0.2, dualClip: null });
      const v = out.lossPerToken.dataSync();
      closeArr([v[0], v[1], v[2]], [-1.2, -1.2, 1.1], 1e-5, 'gspo');
      const m = metricsOf(out);
      assert.ok(Math.abs(m.clipFracHigh - 2 / 3) < 1e-6, `${m.clipFracHigh}`);
    });
  });

  test(`${backend}: ppo_clip + k3 KL gradient equals float64 finite differences (zero where clipped)`, async () => {
    await initBackend({ backend });
    const oldL = [[-1.0, -0.5, -2.0], [-0.3, -1.2, -0.9]];
    const refL = [[-1.1, -0.4, -1.7], [-0.5, -1.0, -0.8]];
    const mask = [[1, 1, 1], [1, 1, 0]];
    const A = [1.3, -0.7];
    // Δ = logp − old: row 0 [0.1, 0.3, −0.4] (ρ 1.105, 1.35 clipped high, 0.67 free since A > 0);
    // row 1 [−0.5, 1.5] (ρ 0.61 clipped low; ρ 4.48 dual-capped at c = 3).
    const logp0 = [[-0.9, -0.2, -2.4], [-0.8, 0.3, -0.9]];
    const cfg: GrpoLossConfig = { ...cfgBase, epsLow: 0.2, epsHigh: 0.28, dualClip: 3, klCoef: 0.1, klEstimator: 'k3' };
    // The objective written out in float64 from the formulas of grpo.md §2.2, §2.4 (token-mean).
    const f64 = (lp: number[][]): number => {
      let s = 0, n = 0;
      for (let i = 0; i < 2; i++) for (let t = 0; t < 3; t++) {
        if (!mask[i][t]) continue;
        const rho = Math.exp(lp[i][t] - oldL[i][t]);
        let l = Math.max(-A[i] * rho, -A[i] * Math.min(Math.max(rho, 0.8), 1.28));
        if (A[i] < 0) l = Math.min(l, -A[i] * 3);
        const nd = refL[i][t] - lp[i][t];
        l += 0.1 * (Math.exp(nd) - 1 - nd);
        s += l; n++;
      }
      return s / n;
    };
    const [value, grad] = tf.tidy(() => {
      const x = { oldLogp: t2(oldL), refLogp: t2(refL), adv: tf.tensor1d(A), mask: t2(mask) };
      const { value, grads } = tf.valueAndGrads((lp: tf.Tensor) => grpoLoss({ ...x, logp: lp as tf.Tensor2D }, cfg).loss)([t2(logp0)]);
      return [value.dataSync()[0], Array.from(grads[0].dataSync())];
    });
    assert.ok(Math.abs(value - f64(logp0)) < 1e-5, `value ${value} vs ${f64(logp0)}`);
    const fd = centralDifferences(f64, logp0);
    closeArr(grad, fd, 2e-5, 'd loss / d logp');
    // The policy part is inert on clipped tokens: only the KL gradient remains there.
    const klOnly = (i: number, t: number): number => 0.1 * (1 - Math.exp(refL[i][t] - logp0[i][t])) / 5;
    assert.ok(Math.abs(grad[1] - klOnly(0, 1)) < 1e-6, 'high-clipped token');
    assert.ok(Math.abs(grad[3] - klOnly(1, 0)) < 1e-6, 'low-clipped token');
    assert.ok(Math.abs(grad[4] - klOnly(1, 1)) < 1e-6, 'dual-clipped token');
    assert.equal(grad[5], 0, 'padding');
  });

  test(`${backend}: gspo gradient equals the float64 sequence-level objective's (seq-mean-token-mean)`, async () => {
    await initBackend({ backend });
    const oldL = [[-1.0, -0.5, -2.0], [-0.3, -1.2, -0.9]];
    const mask = [[1, 1, 1], [1, 1, 0]];
    const A = [0.8, -1.1];
    const logp0 = [[-0.95, -0.52, -1.98], [-0.33, -1.12, 4]];
    const cfg: GrpoLossConfig = { ...cfgBase, policyLoss: 'gspo', aggregation: 'seq-mean-token-mean', epsLow: 0.05, epsHigh: 0.05 };
    const f64 = (lp: number[][]): number => {
      let s = 0;
      for (let i = 0; i < 2; i++) {
        let d = 0, L = 0;
        for (let t = 0; t < 3; t++) if (mask[i][t]) { d += lp[i][t] - oldL[i][t]; L++; }
        const r = Math.exp(d / L);
        s += Math.max(-A[i] * r, -A[i] * Math.min(Math.max(r, 0.95), 1.05));
      }
      return s / 2;
    };
    const grad = tf.tidy(() => {
      const x = { oldLogp: t2(oldL), adv: tf.tensor1d(A), mask: t2(mask) };
      return Array.from(tf.grad((lp: tf.Tensor) => grpoLoss({ ...x, logp: lp as tf.Tensor2D }, cfg).loss)(t2(logp0)).dataSync());
    });
    const fd = centralDifferences(f64, logp0);
    closeArr(grad, fd, 2e-5, 'gspo d loss / d logp');
    assert.ok(Math.abs(grad[0]) > 0.05, 'row 0 is inside the band and has a gradient');
  });
}

test('shape errors name the argument and both shapes', async () => {
  await initBackend({ backend: 'cpu' });
  tf.tidy(() => {
    const x = { logp: tf.zeros([2, 3]) as tf.Tensor2D, oldLogp: tf.zeros([2, 2]) as tf.Tensor2D, adv: tf.zeros([2]) as tf.Tensor1D, mask: tf.ones([2, 3]) as tf.Tensor2D };
    assert.throws(() => POLICY_LOSSES.ppo_clip(x, cfgBase), /ppo_clip: oldLogp is \[2,2\] but logp is \[2,3\]/);
    assert.throws(() => POLICY_LOSSES.ppo_clip({ ...x, oldLogp: x.logp, adv: tf.zeros([3]) as tf.Tensor1D }, cfgBase), /adv is \[3\] but must be \[B\] = \[2\]/);
    assert.throws(() => grpoLoss({ ...x, oldLogp: x.logp }, { ...cfgBase, policyLoss: 'vanilla' as 'ppo_clip' }),
      /policy loss "vanilla" is not registered; known: gspo, no_clip, ppo_clip/);
  });
});
