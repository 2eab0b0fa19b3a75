// Organism GPT throughput on the chosen backend (RLVR_BACKEND or --backend picks it):
// - the backend's 2-D matmul GFLOP/s and numpy's (1 BLAS thread, the ceiling), measured by
//   bench/tensor.ts in the same run;
// - training tokens/s (forward + backward + Adam, cross-entropy through tokenLogProbs) at
//   d128/4 layers (batch 32x128) and d256/6 layers (batch 16x128: batch 32 exceeds wasm's
//   4 GiB heap, ts-stack.md §1.3), with the useful-FLOP rate as a share of the matmul rate;
// - forward-only tokens/s and KV-cached decoding steps;
// - with --gpu-step (or BENCH_GPU_STEP=1): one training step of a 4-layer width-256 GPT at
//   batch 32x128, timed, then profiled per kernel (tf.profile), for bench/gpu-check.sh.
// Useful FLOPs per trained token: 6*N + 12*L*T*d, where N = parameters without the position
// table (a lookup, no matmul; the tied embedding counts once, as the LM head) and 12*L*T*d is
// attention: per layer q·kᵀ and weights·v over the full T x T square as computed (4*T*d
// forward), times 3 for forward + backward.
// Heavy: run once (about 1-2 min on wasm). Direct use:
//   node --import tsx bench/models.ts [--backend webgpu] [--gpu-step | --gpu-step-only]
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/tensor';
import { createRng, finishProcess } from '../lib/util';
import { createGpt, type CausalLM, type GptConfig } from '../lib/models';
import { run as runTensorBench } from './tensor';

export interface ModelBenchRow {
  /** e.g. "d128 L4 train B32x128". */
  case: string;
  /** Tokens per second (median over the timed repetitions); null for rate-only rows. */
  tokensPerSecond: number | null;
  /** Median milliseconds per step; null for rate-only rows. */
  ms: number | null;
  /** GFLOP/s: matmul rows, or useful FLOPs of a training step; else null. */
  gflops: number | null;
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

/** Median ms of `reps` runs of f after one warm-up run. f ends with an (async) read-back, so the work is done. */
async function timeIt(reps: number, f: () => Promise<void>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Enqueues one step (forward, backward, Adam); returns the loss for the caller to read. */
function enqueueTrainStep(m: CausalLM, opt: tf.Optimizer, ids: tf.Tensor2D): tf.Scalar | null {
  const vars = Object.values(m.parameters());
  const [b, t] = ids.shape;
  return opt.minimize(() => tf.div(tf.neg(tf.sum(m.tokenLogProbs(ids, null))), b * (t - 1)) as tf.Scalar, true, vars);
}

async function trainStep(m: CausalLM, opt: tf.Optimizer, ids: tf.Tensor2D): Promise<void> {
  const loss = enqueueTrainStep(m, opt, ids);
  await loss?.data();
  loss?.dispose();
}

/** Useful FLOPs per trained token (see the header): 6*N + 12*L*T*d. */
export function usefulFlopsPerToken(m: CausalLM<GptConfig>, t: number): number {
  const c = m.config;
  let n = 0;
  for (const [name, v] of Object.entries(m.parameters())) if (name !== 'wpe.weight') n += v.size;
  return 6 * n + 12 * c.nLayers * t * c.dModel;
}

async function decodeSteps(m: CausalLM, batch: number, prompt: number, steps: number): Promise<void> {
  const cache = m.initCache(batch, prompt + steps);
  const ids = batchIds(3, batch, prompt);
  tf.dispose(m.forwardCached(ids, cache, { logits: 'last' }).logits);
  ids.dispose();
  for (let s = 0; s < steps; s++) {
    const next = batchIds(100 + s, batch, 1);
    const { logits } = m.forwardCached(next, cache);
    await logits.data(); // a sampler reads the logits back every step
    tf.dispose([next, logits]);
  }
  cache.dispose();
}

/** The backend's 2-D matmul rate and numpy's, from bench/tensor.ts (n = 1024). */
async function matmulRates(): Promise<{ backend: number | null; numpy: number | null; rows: ModelBenchRow[] }> {
  const tensorRows = await runTensorBench(() => undefined);
  const pick = (re: RegExp) => tensorRows.find((r) => re.test(r.case)) ?? null;
  const be = pick(/matMul 1024 \(2-D fast path/);
  const np = pick(/^numpy 1024/);
  const rows: ModelBenchRow[] = [be, np].filter((r): r is NonNullable<typeof r> => r !== null).map((r) => ({ case: r.case, tokensPerSecond: null, ms: r.ms, gflops: r.gflops, note: r.note }));
  return { backend: be?.gflops ?? null, numpy: np?.gflops ?? null, rows };
}

/** The gpu-step case: a 4-layer width-256 GPT, Adam and a batch of 32x128; f runs on them, then all are freed. */
async function withGpuStepModel<R>(f: (m: CausalLM<GptConfig>, opt: tf.Optimizer, ids: tf.Tensor2D) => Promise<R>): Promise<R> {
  const m = createGpt({ vocabSize: VOCAB, contextLength: CONTEXT, dModel: 256, nLayers: 4, nHeads: 4, seed: 1 });
  const opt = tf.train.adam(1e-3);
  const ids = batchIds(5, 32, CONTEXT);
  try {
    return await f(m, opt, ids);
  } finally {
    ids.dispose();
    opt.dispose();
    m.dispose();
  }
}

/** Median ms of a training step of the gpu-step model. */
export function timeGpuStep(reps: number): Promise<number> {
  return withGpuStepModel((m, opt, ids) => timeIt(reps, () => trainStep(m, opt, ids)));
}

/** One training step of a 4-layer width-256 GPT at batch 32x128: median time, then a per-kernel profile. */
async function gpuStep(log: (line: string) => void, note: string): Promise<ModelBenchRow> {
  return withGpuStepModel(async (m, opt, ids) => {
    const ms = await timeIt(5, () => trainStep(m, opt, ids));
    // Enqueue-only time: how long JS takes to issue the step's kernels (no read-back).
    const enqueueMs = await timeIt(3, async () => {
      const t0 = performance.now();
      const loss = enqueueTrainStep(m, opt, ids);
      log(`gpu-step enqueue only: ${(performance.now() - t0).toFixed(1)} ms (${tf.memory().numTensors} tensors alive)`);
      await loss?.data();
      loss?.dispose();
    });
    log(`gpu-step: ${ms.toFixed(1)} ms per step with read-back; enqueue+read ${enqueueMs.toFixed(1)} ms`);
    const info = await tf.profile(() => trainStep(m, opt, ids));
    const byKernel = new Map<string, { ms: number; calls: number }>();
    const backend = tf.getBackend();
    // tf.profile also lists customGrad / tidy scopes ('forward', 'backward', unnamed): their time nests kernels, so skip them.
    const kernels = info.kernels.filter((k) => tf.getKernel(k.name, backend) !== undefined);
    for (const k of kernels) {
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      e.calls++;
      byKernel.set(k.name, e);
    }
    const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
    if (total === 0) {
      const why = kernels.map((k) => k.kernelTimeMs).find((t) => typeof t !== 'number');
      log(`gpu-step profile: no kernel times from this backend (${JSON.stringify(why ?? null)}); calls only:`);
    }
    log(`gpu-step profile (tf.profile, one step; kernels synced one by one, so the sum exceeds the step): ${kernels.length} kernels, ${total.toFixed(1)} ms`);
    for (const [name, e] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
      const share = total > 0 ? ((100 * e.ms) / total).toFixed(1) : '-';
      log(`  ${name.padEnd(28)} ${e.ms.toFixed(2).padStart(9)} ms ${String(e.calls).padStart(6)} calls ${share.padStart(5)}%`);
    }
    const flops = usefulFlopsPerToken(m, CONTEXT) * 32 * CONTEXT;
    return {
      case: `gpu-step d256 L4 (4 heads) train B32x${CONTEXT}`, tokensPerSecond: (32 * CONTEXT * 1000) / ms, ms, gflops: flops / (ms * 1e6),
      note: `${note}; fwd+bwd+Adam; reference: PyTorch eager 7.1 ms, tfjs WebGPU unfused 200 ms`,
    };
  });
}

export interface ModelBenchOptions {
  /** Force a backend (else $RLVR_BACKEND, else automatic). */
  backend?: BackendName;
  /** Add the gpu-step case (default: $BENCH_GPU_STEP === '1'). */
  gpuStep?: boolean;
  /** Only the gpu-step case. */
  gpuStepOnly?: boolean;
}

function printRows(rows: ModelBenchRow[], log: (line: string) => void): void {
  for (const r of rows) {
    const tok = r.tokensPerSecond === null ? '-' : r.tokensPerSecond.toFixed(0);
    const ms = r.ms === null ? '-' : r.ms.toFixed(r.ms < 10 ? 1 : 0);
    const g = r.gflops === null ? '' : ` ${r.gflops.toFixed(1).padStart(6)} GFLOP/s`;
    log(`${r.case.padEnd(58)} ${tok.padStart(7)} tok/s ${ms.padStart(7)} ms${g}  ${r.note}`);
  }
}

/** Measures, prints one line per case, and returns the rows. */
export async function run(log: (line: string) => void = console.log, opts: ModelBenchOptions = {}): Promise<ModelBenchRow[]> {
  const report = await initBackend(opts.backend === undefined ? {} : { backend: opts.backend });
  const note = `backend ${report.chosen}`;
  const rows: ModelBenchRow[] = [];
  const withGpuStep = opts.gpuStepOnly === true || (opts.gpuStep ?? process.env.BENCH_GPU_STEP === '1');
  if (opts.gpuStepOnly !== true) {
    const rates = await matmulRates();
    rows.push(...rates.rows);
    const sizes = [
      { name: 'd128 L4', dModel: 128, nLayers: 4, nHeads: 4, trainBatches: [32] },
      { name: 'd256 L6', dModel: 256, nLayers: 6, nHeads: 8, trainBatches: [16] },
    ];
    for (const size of sizes) {
      const m = createGpt({ vocabSize: VOCAB, contextLength: CONTEXT, dModel: size.dModel, nLayers: size.nLayers, nHeads: size.nHeads, seed: 1 });
      const opt = tf.train.adam(1e-3);
      try {
        for (const b of size.trainBatches) {
          const ids = batchIds(1, b, CONTEXT);
          const ms = await timeIt(2, () => trainStep(m, opt, ids));
          ids.dispose();
          const gflops = (usefulFlopsPerToken(m, CONTEXT) * b * CONTEXT) / (ms * 1e6);
          const share = rates.backend === null ? '' : `, ${((100 * gflops) / rates.backend).toFixed(0)}% of the matmul rate`;
          rows.push({ case: `${size.name} train B${b}x${CONTEXT}`, tokensPerSecond: (b * CONTEXT * 1000) / ms, ms, gflops, note: `${note}; fwd+bwd+Adam; useful FLOPs${share}` });
        }
        const ids = batchIds(2, 32, CONTEXT);
        const ms = await timeIt(3, async () => {
          const y = m.forward(ids);
          await y.data();
          y.dispose();
        });
        ids.dispose();
        rows.push({ case: `${size.name} forward B32x${CONTEXT}`, tokensPerSecond: (32 * CONTEXT * 1000) / ms, ms, gflops: null, note });
        const steps = 32;
        const dms = await timeIt(1, () => decodeSteps(m, 64, 16, steps));
        rows.push({
          case: `${size.name} KV-cached decode B64, 16-token prompt + ${steps} steps`, tokensPerSecond: (64 * steps * 1000) / dms, ms: dms / steps, gflops: null,
          note: `${note}; ms is per step, prefill included`,
        });
      } finally {
        opt.dispose();
        m.dispose();
      }
    }
  }
  printRows(rows, log);
  if (withGpuStep) {
    const row = await gpuStep(log, note);
    printRows([row], log);
    rows.push(row);
  }
  return rows;
}

/** `node --import tsx bench/models.ts [--backend NAME] [--gpu-step | --gpu-step-only]`. */
function parseDirectArgs(argv: string[]): ModelBenchOptions {
  const opts: ModelBenchOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gpu-step') opts.gpuStep = true;
    else if (a === '--gpu-step-only') opts.gpuStepOnly = true;
    else if (a === '--backend' && i + 1 < argv.length) opts.backend = argv[++i] as BackendName; // initBackend checks the name
    else if (a.startsWith('--backend=')) opts.backend = a.slice('--backend='.length) as BackendName;
    else throw new Error(`bench/models: unknown argument '${a}'; use --backend NAME, --gpu-step, --gpu-step-only`);
  }
  return opts;
}

if (/bench[\\/]models\.ts$/.test(process.argv[1] ?? '')) {
  Promise.resolve()
    .then(() => run(console.log, parseDirectArgs(process.argv.slice(2))))
    .then(() => finishProcess(0), (err: unknown) => {
      console.error((err as Error).stack ?? err);
      finishProcess(1);
    });
}
