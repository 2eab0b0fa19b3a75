// grpoLoss: the per-minibatch objective an LM trainer (or the bandit) differentiates:
//   agg(policy loss) + klCoef·agg(KL to reference) − entropyCoef·agg(entropy)   (grpo.md §1.4–1.6, §2.5)
// Every part is looked up in its registry; KL and entropy use the same aggregation as the
// policy loss (verl). Call it inside the gradient closure; metrics are tensors, read later.
import * as tf from '@tensorflow/tfjs';
import { pick } from '../util';
import { LOSS_AGGREGATIONS, type AggregationFn } from './aggregate';
import type { GrpoAlgoConfig } from './config';
import { KL_ESTIMATORS, type KlEstimatorFn } from './kl';
import { maskedMean } from './masked';
import { POLICY_LOSSES, type PolicyLossFn, type PolicyLossInput } from './policy-loss';

export interface GrpoLossInput extends PolicyLossInput {
  /** log π_ref of the response tokens [B, T]; required when klCoef > 0, else only logged if given. */
  refLogp?: tf.Tensor2D;
  /** Entropy of π_θ at each response position [B, T] (on the gradient path); required when entropyCoef > 0. */
  entropy?: tf.Tensor2D;
}

export type GrpoLossConfig = Pick<GrpoAlgoConfig,
  'policyLoss' | 'epsLow' | 'epsHigh' | 'dualClip' | 'aggregation' | 'microBatchSize' | 'lossNormaliser'
  | 'klCoef' | 'klEstimator' | 'entropyCoef'>;

/** Registries to look names up in; pass merged objects to add your own variants. */
export interface GrpoRegistries {
  policyLosses: Readonly<Record<string, PolicyLossFn>>;
  aggregations: Readonly<Record<string, AggregationFn>>;
  klEstimators: Readonly<Record<string, KlEstimatorFn>>;
}

export const GRPO_REGISTRIES: GrpoRegistries = {
  policyLosses: POLICY_LOSSES, aggregations: LOSS_AGGREGATIONS, klEstimators: KL_ESTIMATORS,
};

export interface GrpoLossOutput {
  /** The scalar to minimise. */
  loss: tf.Scalar;
  /** policyLoss, klLoss, entropy (when given) and the policy loss's own metrics; scalars. */
  metrics: Record<string, tf.Scalar>;
}

export function grpoLoss(x: GrpoLossInput, cfg: GrpoLossConfig, reg: GrpoRegistries = GRPO_REGISTRIES): GrpoLossOutput {
  const policy = pick(reg.policyLosses, cfg.policyLoss, 'policy loss');
  const agg = pick(reg.aggregations, cfg.aggregation, 'loss aggregation');
  const aggCfg = { microBatchSize: cfg.microBatchSize, lossNormaliser: cfg.lossNormaliser };
  const out = policy(x, cfg);
  const policyLoss = agg(out.lossPerToken, x.mask, aggCfg);
  const metrics: Record<string, tf.Scalar> = { policyLoss, ...out.metrics };
  let loss: tf.Scalar = policyLoss;
  if (cfg.klCoef > 0 && x.refLogp === undefined) {
    throw new Error(`grpoLoss: klCoef is ${cfg.klCoef} but no refLogp was given; pass the reference model's log-probs or set klCoef 0`);
  }
  if (x.refLogp !== undefined) {
    const kl = pick(reg.klEstimators, cfg.klEstimator, 'KL estimator')(x.logp, x.refLogp);
    const klLoss = agg(kl, x.mask, aggCfg);
    metrics.klLoss = klLoss;
    if (cfg.klCoef > 0) loss = tf.add(loss, tf.mul(klLoss, cfg.klCoef));
  }
  if (cfg.entropyCoef > 0 && x.entropy === undefined) {
    throw new Error(`grpoLoss: entropyCoef is ${cfg.entropyCoef} but no entropy was given; pass per-token entropies or set entropyCoef 0`);
  }
  if (x.entropy !== undefined) {
    metrics.entropy = maskedMean(x.entropy, x.mask);
    if (cfg.entropyCoef > 0) loss = tf.sub(loss, tf.mul(agg(x.entropy, x.mask, aggCfg), cfg.entropyCoef));
  }
  metrics.loss = loss;
  return { loss, metrics };
}
