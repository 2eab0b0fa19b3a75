// The clipping-bias laboratory of grpo.md §5: a softmax policy over K strategies, S seeds run
// side by side as the rows of one logits variable [S, K]. Each "response" is one token (the
// chosen strategy), so the LM code path is used unchanged: computeAdvantages → planMinibatches
// → grpoLoss (policy loss + aggregation + KL + entropy) → optimizerStep, with logp [rows, 1].
// Rewards are Bernoulli(γ), independent of the strategy. Every random draw comes from streams
// forked from `seed` by rollout index and purpose, so arms that share `seed` share every draw
// (common random numbers): actions are drawn by inverse CDF from the same uniforms.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../util';
import { computeAdvantages, type AdvantageMetrics } from '../compute-advantages';
import type { GrpoAlgoConfig } from '../config';
import { planMinibatches } from '../minibatch';
import { grpoLoss } from '../objective';
import { LR_SCHEDULES, OPTIMIZERS, type GrpoOptimizer } from '../optimizer';
import { optimizerStep } from '../step';
import { logOddsRows } from './softmax';

export interface BanditSetup {
  /** Independent runs, as the batch dimension S (>= 1,000 for the acceptance tests). */
  seeds: number;
  /** Initial policy π over K >= 2 strategies (probabilities, summing to 1). */
  prior: readonly number[];
  /** Reward probability γ (the authors' random reward: 0.5). */
  rewardProb: number;
  /** Root of every random stream; equal seeds = common random numbers between arms. */
  seed: number;
  /** Rollout batches the run will take (sets the LR schedule's horizon). */
  rolloutBatches: number;
}

export interface Bandit {
  readonly setup: Readonly<BanditSetup>;
  readonly cfg: Readonly<GrpoAlgoConfig>;
  /** Policy logits [S, K]. */
  readonly logits: tf.Variable;
  /** Index of the prior's most likely strategy (the "top" whose log-odds we track). */
  readonly top: number;
  /** Rollout batches done so far. */
  rollouts: number;
  /** Optimizer steps done so far. */
  steps: number;
  readonly optimizer: GrpoOptimizer;
}

export interface BanditRolloutResult {
  /** Per seed: log-odds of the top strategy before and after this rollout batch's updates. */
  logOddsBefore: Float64Array;
  logOddsAfter: Float64Array;
  /** One metrics record per optimizer step (grpoLoss + optimizerStep metrics). */
  steps: Record<string, number>[];
  advantages: AdvantageMetrics;
}

function checkSetup(s: BanditSetup, cfg: GrpoAlgoConfig): void {
  const fail = (m: string): never => { throw new Error(`createBandit: ${m}`); };
  if (!Number.isInteger(s.seeds) || s.seeds < 1) fail(`seeds is ${s.seeds}; it must be a positive integer`);
  if (s.prior.length < 2) fail(`prior has ${s.prior.length} strategies; it needs at least 2`);
  const total = s.prior.reduce((a, b) => a + b, 0);
  if (s.prior.some((p) => !(p > 0)) || Math.abs(total - 1) > 1e-9) fail(`prior [${s.prior.join(', ')}] must be positive and sum to 1 (sums to ${total})`);
  if (!(s.rewardProb >= 0 && s.rewardProb <= 1)) fail(`rewardProb is ${s.rewardProb}; it must lie in [0, 1]`);
  if (!Number.isInteger(s.rolloutBatches) || s.rolloutBatches < 1) fail(`rolloutBatches is ${s.rolloutBatches}; it must be a positive integer`);
  if (cfg.maxGradNorm !== null) {
    fail(`maxGradNorm is ${cfg.maxGradNorm}, but a global gradient norm would couple the independent seeds; resolve the config with maxGradNorm null (preset "clip-lab" does)`);
  }
}

export function createBandit(setup: BanditSetup, cfg: Readonly<GrpoAlgoConfig>): Bandit {
  checkSetup(setup, cfg);
  const K = setup.prior.length;
  const logPrior = setup.prior.map(Math.log);
  const init = new Float32Array(setup.seeds * K);
  for (let s = 0; s < setup.seeds; s++) init.set(logPrior, s * K);
  const logits = tf.variable(tf.tensor2d(init, [setup.seeds, K]), true);
  let top = 0;
  setup.prior.forEach((p, k) => { if (p > setup.prior[top]) top = k; });
  const optimizer = OPTIMIZERS[cfg.optimizer]([logits], cfg);
  return { setup: Object.freeze({ ...setup }), cfg, logits, top, rollouts: 0, steps: 0, optimizer };
}

export function disposeBandit(b: Bandit): void {
  b.optimizer.dispose();
  b.logits.dispose();
}

/** Current policy of every seed, row-major [S, K] float32 logits. */
export function banditLogits(b: Bandit): Float32Array {
  return b.logits.dataSync() as Float32Array;
}

/** One rollout batch: sample, reward, advantages, then epochs × minibatches optimizer steps. */
export function banditRolloutBatch(b: Bandit): BanditRolloutResult {
  const { setup, cfg } = b;
  const S = setup.seeds, K = setup.prior.length, G = cfg.groupSize;
  const N = G * cfg.promptsPerRollout; // responses per seed per rollout batch
  const root = createRng(setup.seed);
  const label = `rollout/${b.rollouts}`;
  const actionRng = root.fork(`${label}/actions`);
  const rewardRng = root.fork(`${label}/rewards`);
  const shuffleRng = root.fork(`${label}/shuffle`);

  const before = banditLogits(b);
  const logOddsBefore = logOddsRows(before, K, b.top);

  // π_old per seed (float64 from the float32 logits), then actions by inverse CDF.
  const actions = new Int32Array(S * N);
  const rewards = new Float64Array(S * N);
  const cdf = new Float64Array(K);
  for (let s = 0; s < S; s++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, before[s * K + k]);
    let z = 0;
    for (let k = 0; k < K; k++) z += (cdf[k] = Math.exp(before[s * K + k] - max));
    let acc = 0;
    for (let k = 0; k < K; k++) cdf[k] = (acc += cdf[k]) / z;
    for (let i = 0; i < N; i++) {
      const u = actionRng.next();
      let k = 0;
      while (k < K - 1 && u >= cdf[k]) k++;
      actions[s * N + i] = k;
    }
  }
  for (let i = 0; i < S * N; i++) rewards[i] = rewardRng.next() < setup.rewardProb ? 1 : 0;

  // Groups are contiguous: seed s, group p occupies [s·N + p·G, s·N + (p+1)·G).
  const adv = computeAdvantages(rewards, {
    groupSize: G, estimator: cfg.advantage, stdEps: cfg.stdEps, filterZeroVariance: cfg.filterZeroVariance,
    whitenGlobally: cfg.whitenGlobally, whitenVarFloor: cfg.whitenVarFloor, lengths: new Float64Array(S * N).fill(1),
  });

  const plans = Array.from({ length: S }, () => planMinibatches(N, cfg, shuffleRng));
  const stepsPerRollout = plans[0].length;
  const n = N / cfg.minibatches; // responses per seed per step
  const logPrior = setup.prior.map(Math.log);
  const totalSteps = setup.rolloutBatches * stepsPerRollout;
  const oldLogsm = tf.tidy(() => tf.logSoftmax(b.logits)); // [S, K], frozen before the first step
  const steps: Record<string, number>[] = [];
  for (let j = 0; j < stepsPerRollout; j++) {
    const hot = new Float32Array(S * n * K);
    const a = new Float32Array(S * n);
    const mask = new Float32Array(S * n);
    const ref = new Float32Array(S * n);
    for (let s = 0; s < S; s++) {
      const idx = plans[s][j];
      for (let i = 0; i < n; i++) {
        const src = s * N + idx[i], row = s * n + i;
        hot[row * K + actions[src]] = 1;
        a[row] = adv.advantages[src];
        mask[row] = adv.keep[src];
        ref[row] = logPrior[actions[src]];
      }
    }
    const hotT = tf.tensor3d(hot, [S, n, K]);
    const advT = tf.tensor1d(a);
    const maskT = tf.tensor2d(mask, [S * n, 1]);
    const refT = tf.tensor2d(ref, [S * n, 1]);
    const pickRows = (logsm: tf.Tensor): tf.Tensor2D => // [S, K] → chosen entries [S·n, 1]
      tf.reshape(tf.sum(tf.mul(hotT, tf.expandDims(logsm, 1)), 2), [S * n, 1]); // [S,n,K]·[S,1,K] → [S,n] → [S·n,1]
    const lr = LR_SCHEDULES[cfg.lrSchedule](cfg.lr, b.steps, totalSteps, cfg.warmupSteps);
    const metrics = optimizerStep(b.optimizer, [b.logits], () => {
      const logsm = tf.logSoftmax(b.logits); // [S, K]
      const entropyPerSeed = tf.neg(tf.sum(tf.mul(tf.exp(logsm), logsm), 1)); // [S]
      const entropy = tf.reshape(tf.broadcastTo(tf.reshape(entropyPerSeed, [S, 1]), [S, n]), [S * n, 1]) as tf.Tensor2D;
      const out = grpoLoss({ logp: pickRows(logsm), oldLogp: pickRows(oldLogsm), adv: advT, mask: maskT, refLogp: refT, entropy }, cfg);
      // Seeds are independent parameters: S × (per-seed mean) gives every seed its own
      // objective's gradient, as if it were trained alone.
      return { loss: tf.mul(out.loss, S), metrics: out.metrics };
    }, { lr, maxGradNorm: cfg.maxGradNorm });
    tf.dispose([hotT, advT, maskT, refT]);
    b.steps++;
    steps.push(metrics);
  }
  oldLogsm.dispose();
  b.rollouts++;
  return { logOddsBefore, logOddsAfter: logOddsRows(banditLogits(b), K, b.top), steps, advantages: adv.metrics };
}

export interface BanditRunResult {
  rollouts: BanditRolloutResult[];
  /** Final policy of every seed, [S, K] row-major float32 logits. */
  finalLogits: Float32Array;
}

/** createBandit, setup.rolloutBatches rollout batches, dispose. */
export function runBandit(setup: BanditSetup, cfg: Readonly<GrpoAlgoConfig>): BanditRunResult {
  const b = createBandit(setup, cfg);
  try {
    const rollouts: BanditRolloutResult[] = [];
    for (let r = 0; r < setup.rolloutBatches; r++) rollouts.push(banditRolloutBatch(b));
    return { rollouts, finalLogits: banditLogits(b) };
  } finally {
    disposeBandit(b);
  }
}
