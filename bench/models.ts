// Organism GPT throughput on the chosen backend: training tokens/s (forward + backward +
// Adam, cross-entropy through tokenLogProbs) and forward-only tokens/s, at d128/4 layers and
// d256/6 layers, plus KV-cached decoding steps. d256/L6 trains at batch 16 only: batch 32
// exceeds wasm's 4 GiB heap (ts-stack.md §1.3). Heavy: run once (about 1-2 min on wasm).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/tensor';
import { createRng } from '../lib/util';
import { createGpt, type CausalLM } from '../lib/models';

export interface ModelBenchRow {
  /** e.g. "d128 L4 train B32x128". */
  case: string;
  /** Tokens per second (median over the timed repetitions). */
  tokensPerSecond: number;
  /** Median milliseconds per step. */
  ms: number;
  note: string;
}

const VOCAB = 64;
const CONTEXT = 128;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function batchIds(seed: number, b: number, t: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Array.from({ length: b * t }, () => rng.int(VOCAB)), [b, t], 'int32');
}

/** Median ms of `reps` runs of f after one warm-up run. */
function timeIt(reps: number, f: () => void): number {
  f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function trainStep(m: CausalLM, opt: tf.Optimizer, ids: tf.Tensor2D): void {
  const vars = Object.values(m.parameters());
  const [b, t] = ids.shape;
  const loss = opt.minimize(() => tf.div(tf.neg(tf.sum(m.tokenLogProbs(ids, null))), b * (t - 1)) as tf.Scalar, true, vars);
  loss?.dataSync();
  loss?.dispose();
}

function decodeSteps(m: CausalLM, batch: number, prompt: number, steps: number): void {
  const cache = m.initCache(batch, prompt + steps);
  const ids = batchIds(3, batch, prompt);
  tf.dispose(m.forwardCached(ids, cache).logits);
  ids.dispose();
  for (let s = 0; s < steps; s++) {
    const next = batchIds(100 + s, batch, 1);
    const { logits } = m.forwardCached(next, cache);
    logits.dataSync(); // a sampler reads the logits back every step
    tf.dispose([next, logits]);
  }
  cache.dispose();
}

/** Measures, prints one line per case, and returns the rows. */
export async function run(log: (line: string) => void = console.log): Promise<ModelBenchRow[]> {
  const report = await initBackend();
  const note = `backend ${report.chosen}`;
  const rows: ModelBenchRow[] = [];
  const sizes = [
    { name: 'd128 L4', dModel: 128, nLayers: 4, nHeads: 4, trainBatches: [16, 32] },
    { name: 'd256 L6', dModel: 256, nLayers: 6, nHeads: 8, trainBatches: [16] },
  ];
  for (const size of sizes) {
    const m = createGpt({ vocabSize: VOCAB, contextLength: CONTEXT, dModel: size.dModel, nLayers: size.nLayers, nHeads: size.nHeads, seed: 1 });
    const opt = tf.train.adam(1e-3);
    try {
      for (const b of size.trainBatches) {
        const ids = batchIds(1, b, CONTEXT);
        const ms = timeIt(2, () => trainStep(m, opt, ids));
        ids.dispose();
        rows.push({ case: `${size.name} train B${b}x${CONTEXT}`, tokensPerSecond: (b * CONTEXT * 1000) / ms, ms, note: `${note}; fwd+bwd+Adam` });
      }
      const ids = batchIds(2, 32, CONTEXT);
      const ms = timeIt(3, () => tf.tidy(() => m.forward(ids).dataSync()));
      ids.dispose();
      rows.push({ case: `${size.name} forward B32x${CONTEXT}`, tokensPerSecond: (32 * CONTEXT * 1000) / ms, ms, note });
      const steps = 32;
      const dms = timeIt(1, () => decodeSteps(m, 64, 16, steps));
      rows.push({
        case: `${size.name} KV-cached decode B64, 16-token prompt + ${steps} steps`, tokensPerSecond: (64 * steps * 1000) / dms, ms: dms / steps,
        note: `${note}; ms is per step, prefill included`,
      });
    } finally {
      opt.dispose();
      m.dispose();
    }
  }
  for (const r of rows) log(`${r.case.padEnd(58)} ${r.tokensPerSecond.toFixed(0).padStart(7)} tok/s ${r.ms.toFixed(0).padStart(7)} ms  ${r.note}`);
  return rows;
}
