// Loss aggregation, KL estimators, the entropy bonus and grpoLoss's composition: hand values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/tensor';
import { GRPO_REGISTRIES, KL_ESTIMATORS, LOSS_AGGREGATIONS, grpoLoss, readMetrics, type AggregationConfig, type GrpoLossConfig } from '../../lib/grpo';

const near = (a: number, b: number, what: string, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

// 4 rows, T = 3. Row token counts 3, 1, 2, 2; masked sums 6, 4, 11, −1.
const V = [[1, 2, 3], [4, 100, 100], [5, 6, 100], [-2, 1, 100]];
const M = [[1, 1, 1], [1, 0, 0], [1, 1, 0], [1, 1, 0]];
const agg: AggregationConfig = { microBatchSize: 2, lossNormaliser: null };

test('each aggregation on a padded batch', async () => {
  await initBackend({ backend: 'cpu' });
  tf.tidy(() => {
    const v = tf.tensor2d(V), m = tf.tensor2d(M);
    const val = (name: keyof typeof LOSS_AGGREGATIONS, cfg = agg): number => LOSS_AGGREGATIONS[name](v, m, cfg).dataSync()[0];
    near(val('token-mean'), (6 + 4 + 11 - 1) / 8, 'token-mean');
    near(val('seq-mean-token-sum'), (6 + 4 + 11 - 1) / 4, 'seq-mean-token-sum');
    near(val('seq-mean-token-mean'), (6 / 3 + 4 / 1 + 11 / 2 - 1 / 2) / 4, 'seq-mean-token-mean');
    near(val('seq-mean-token-sum-norm'), 20 / (4 * 3), 'seq-mean-token-sum-norm, C = padded T');
    near(val('seq-mean-token-sum-norm', { microBatchSize: 2, lossNormaliser: 10 }), 20 / (4 * 10), 'seq-mean-token-sum-norm, C = 10');
    // Micro-batches {row0,row1}: (6+4)/4 tokens; {row2,row3}: (11−1)/4 → mean 2.5.
    near(val('micro-batch-token-mean'), ((6 + 4) / 4 + (11 - 1) / 4) / 2, 'micro-batch-token-mean (2)');
    near(val('micro-batch-token-mean', { microBatchSize: 1, lossNormaliser: null }), val('seq-mean-token-mean'), 'micro-batch of 1 = seq-mean-token-mean');
    near(val('micro-batch-token-mean', { microBatchSize: 4, lossNormaliser: null }), val('token-mean'), 'one micro-batch = token-mean');
    assert.throws(() => val('micro-batch-token-mean', { microBatchSize: 3, lossNormaliser: null }), /4 rows do not split into micro-batches of 3/);
  });
});

test('KL estimators k1, k2, k3 per token (Δ = logp − ref)', async () => {
  await initBackend({ backend: 'cpu' });
  tf.tidy(() => {
    const logp = tf.tensor2d([[-1, -0.5, -3]]), ref = tf.tensor2d([[-1.5, -0.5, -1]]);
    const d = [0.5, 0, -2];
    const val = (k: keyof typeof KL_ESTIMATORS): Float32Array | Int32Array | Uint8Array => KL_ESTIMATORS[k](logp, ref).dataSync();
    Array.from(val('k1')).forEach((x, i) => near(x, d[i], `k1[${i}]`));
    Array.from(val('k2')).forEach((x, i) => near(x, 0.5 * d[i] ** 2, `k2[${i}]`));
    Array.from(val('k3')).forEach((x, i) => near(x, Math.exp(-d[i]) - 1 + d[i], `k3[${i}]`));
    // k3's clamps: Δ = −30 → e^{20} − 1 − 20 → clamped to 10.
    near(KL_ESTIMATORS.k3(tf.tensor2d([[-30]]), tf.tensor2d([[0]])).dataSync()[0], 10, 'k3 clamp');
  });
});

test('grpoLoss = agg(policy) + β·agg(KL) − entropyCoef·agg(entropy), all metrics returned', async () => {
  await initBackend({ backend: 'cpu' });
  tf.tidy(() => {
    const logp = tf.tensor2d([[-1, -2], [-0.5, -0.7]]);
    const x = {
      logp, oldLogp: logp.clone(), adv: tf.tensor1d([2, -1]), mask: tf.tensor2d([[1, 1], [1, 0]]),
      refLogp: tf.tensor2d([[-1.5, -2], [-0.5, -0.2]]), entropy: tf.tensor2d([[0.3, 0.6], [0.9, 5]]),
    };
    const cfg: GrpoLossConfig = {
      policyLoss: 'ppo_clip', epsLow: 0.2, epsHigh: 0.2, dualClip: null, aggregation: 'seq-mean-token-mean',
      microBatchSize: 1, lossNormaliser: null, klCoef: 0.5, klEstimator: 'k1', entropyCoef: 0.1,
    };
    const out = grpoLoss(x, cfg);
    const m = readMetrics(out.metrics);
    // ρ = 1: policy token losses −A: row 0 [−2, −2] → −2; row 1 [1] → 1; mean −0.5.
    near(m.policyLoss, -0.5, 'policyLoss');
    // k1 = Δ: row 0 [0.5, 0] → 0.25; row 1 [0] → 0; mean 0.125.
    near(m.klLoss, 0.125, 'klLoss');
    // entropy metric: token mean (0.3 + 0.6 + 0.9)/3; in the loss: seq-mean-token-mean (0.45 + 0.9)/2.
    near(m.entropy, 0.6, 'entropy metric');
    near(out.loss.dataSync()[0], -0.5 + 0.5 * 0.125 - 0.1 * 0.675, 'loss');
    near(m.loss, out.loss.dataSync()[0], 'metrics.loss');
    assert.ok('clipFracLow' in m && 'approxKl' in m && 'ratioMaxAbsDev' in m);
    // β = 0: KL is reported but does not enter the loss.
    const noKl = grpoLoss(x, { ...cfg, klCoef: 0, entropyCoef: 0 });
    near(noKl.loss.dataSync()[0], -0.5, 'loss without KL and entropy');
    assert.throws(() => grpoLoss({ ...x, refLogp: undefined }, cfg), /klCoef is 0.5 but no refLogp was given/);
    assert.throws(() => grpoLoss({ ...x, entropy: undefined }, cfg), /entropyCoef is 0.1 but no entropy was given/);
    assert.throws(() => grpoLoss(x, { ...cfg, aggregation: 'token_mean' as 'token-mean' }),
      /loss aggregation "token_mean" is not registered \(did you mean "token-mean"\?\); known: micro-batch-token-mean, seq-mean-token-mean/);
    // A user variant through merged registries.
    const reg = { ...GRPO_REGISTRIES, aggregations: { ...GRPO_REGISTRIES.aggregations, first: (v: tf.Tensor2D) => tf.sum(v.slice([0, 0], [1, 1])) as tf.Scalar } };
    near(grpoLoss(x, { ...cfg, aggregation: 'first' as 'token-mean', klCoef: 0, entropyCoef: 0 }, reg).loss.dataSync()[0], -2, 'user aggregation');
  });
});
