// Speed of the clipping-bias laboratory: one rollout batch (sample 8 groups × 16 per seed,
// advantages, 8 SGD minibatch steps through grpoLoss) at 1,000 and 10,000 seeds, on wasm and
// cpu; and one grpoLoss forward + backward on an LM-shaped [128, 512] minibatch. ~15 s in all.
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/tensor';
import { createBandit, banditRolloutBatch, disposeBandit, grpoLoss, resolveGrpoConfig } from '../lib/grpo';

export interface GrpoBenchRow {
  /** e.g. "wasm bandit rollout batch, 10000 seeds". */
  case: string;
  /** Median milliseconds per call. */
  ms: number;
  note: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median ms of one rollout batch (after a warm-up batch) of the clip-lab preset at `seeds`. */
function timeRollout(seeds: number, reps: number): number {
  const b = createBandit({ seeds, prior: [0.65, 0.35], rewardProb: 0.5, seed: 1, rolloutBatches: reps + 1 }, resolveGrpoConfig('clip-lab'));
  banditRolloutBatch(b);
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    banditRolloutBatch(b); // ends with a dataSync of the logits, so the work is done
    ts.push(performance.now() - t0);
  }
  disposeBandit(b);
  return median(ts);
}

/** Median ms of grpoLoss (authors preset: ppo_clip, micro-batch token mean) value + gradient w.r.t. logp [B, T]. */
function timeLossGrad(B: number, T: number, reps: number): number {
  const cfg = resolveGrpoConfig('authors');
  const logp = tf.randomUniform([B, T], -3, 0, 'float32', 1) as tf.Tensor2D;
  const old = tf.add(logp, tf.randomNormal([B, T], 0, 0.1, 'float32', 2)) as tf.Tensor2D;
  const adv = tf.randomNormal([B], 0, 1, 'float32', 3) as tf.Tensor1D;
  const mask = tf.ones([B, T]) as tf.Tensor2D;
  const once = (): number => {
    const t0 = performance.now();
    tf.tidy(() => {
      const g = tf.grad((lp: tf.Tensor) => grpoLoss({ logp: lp as tf.Tensor2D, oldLogp: old, adv, mask }, cfg).loss)(logp);
      g.dataSync();
    });
    return performance.now() - t0;
  };
  once();
  const ms = median(Array.from({ length: reps }, once));
  tf.dispose([logp, old, adv, mask]);
  return ms;
}

export async function run(log: (line: string) => void = console.log): Promise<GrpoBenchRow[]> {
  const rows: GrpoBenchRow[] = [];
  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    await initBackend({ backend });
    for (const seeds of [1000, 10000]) {
      const ms = timeRollout(seeds, seeds >= 10000 ? 3 : 5);
      rows.push({ case: `${backend} bandit rollout batch, ${seeds} seeds`, ms, note: `${(ms / seeds * 1000).toFixed(1)} µs per seed; 128 samples, 8 steps` });
      log(`${rows[rows.length - 1].case}: ${ms.toFixed(0)} ms`);
    }
    const ms = timeLossGrad(128, 512, 5);
    rows.push({ case: `${backend} grpoLoss value+grad [128, 512]`, ms, note: 'authors preset; one minibatch of the LM trainer at 512 tokens' });
    log(`${rows[rows.length - 1].case}: ${ms.toFixed(0)} ms`);
  }
  return rows;
}
