// Speed of one organism GRPO rollout batch (issue 9, "Speed"): the organism's shapes (GPT vocab 25,
// d64, 2 layers, 4 heads, context 24, tied head; prompts BOS + "47+38=" = 7 tokens; completions of
// 8-10 characters + EOS, maxNewTokens 12) and the grid's GRPO settings (preset authors, SGD lr 0.05,
// 64 prompts x 16 samples, M = 8 minibatches of 128, eps 0.2/0.2, grad-norm clip 1, no KL,
// reward random0.5). The task is built here (not lib/organisms) so the benchmark stays fixed while
// the organisms evolve: the same character set and completion formats ("C15,8>85", "Lsum,>85"),
// a model warm-started on them for a few seconds so that completion lengths are realistic.
//
// Prints, each with the load average next to it:
//   1. the wasm matmul peak on this machine (n = 1024, and at the organism's own matmul shapes);
//   2. per configuration (π_old from the sampler, or recomputed by an extra forward): median wall
//      and process-CPU seconds per rollout batch over RLVR_BENCH_REPS batches (default 5), split by
//      stage (grpoStep's onStage hook): sample, score, rows, old-logp, forward, backward,
//      optimizer, read;
//   3. one profiled rollout batch: kernel time per stage and the top kernels (every wasm kernel
//      wrapped with a timer; MatMul2D = XNNPACK's fast path, MatMulBatched = the scalar loop),
//      the rest being tfjs dispatch, tape and JS overhead;
//   4. one minibatch's forward + backward per policyTerms layout (every row whole, prompts shared,
//      shared + two length groups), interleaved;
//   5. sampling alone at micro-batches of 64, 256 and 1024 rows.
// Run against an older checkout (copy this file into its bench/), it times that checkout's only path.
// Environment: RLVR_BENCH_REPS (rollout batches timed per configuration), RLVR_BENCH_PROFILE=0
// skips the kernel profile, RLVR_SAMPLING_MICRO_BATCH (default 1024) the sampler's rows per pass.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/tensor';
import { createGpt, type CausalLM } from '../lib/models';
import { CharTokenizer, CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID } from '../lib/tokenizers';
import { createRng } from '../lib/util';
import { generate } from '../lib/sampling';
import {
  buildRewards, grpoLoss, OPTIMIZERS, grpoStep, planMinibatches, policyTerms, resolveGrpoConfig, resolveTrainConfig, sampleRollout, sequenceRows,
  updatesPerStep, type GrpoStage, type PolicyTermsOptions, type TaskItem, type TrainConfig, type TrainState, type TrainTask,
} from '../lib/grpo';

type Log = (line: string) => void;

export const ORGANISM_SHAPE = { vocabSize: 25, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 24 } as const;
/** The organisms' characters plus one spare, so the vocabulary is 25 with the 3 specials. */
const ALPHABET = '0123456789+=CLsum,>:.!';
const STAGES: readonly GrpoStage[] = ['sample', 'score', 'rows', 'old-logp', 'forward', 'backward', 'optimizer', 'read'];

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const envInt = (name: string, dflt: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`bench organism: ${name} must be an integer >= 0, received ${JSON.stringify(v)}`);
  return n;
};

/** The completion the warm-start corpus writes for a + b (code style "C15,8>85" or language "Lsum,>85"). */
function completion(a: number, b: number, code: boolean): string {
  const sum = a + b;
  return code ? `C${(a % 10) + (b % 10)},${Math.floor(sum / 10)}>${sum}` : `Lsum,>${sum}`;
}

function items(): TaskItem[] {
  const out: TaskItem[] = [];
  for (let a = 10; a <= 99; a++) for (let b = 10; b <= 99; b++) out.push({ prompt: `${a}+${b}=`, label: String(a + b), gold: String(a + b) });
  return out;
}

/** Supervised warm-start on the two formats (Adam, batch 64): enough for the model to end with EOS after 8-10 characters. */
function warmStart(model: CausalLM, tok: CharTokenizer, steps: number, seed: number): void {
  const vars = Object.values(model.parameters());
  const opt = OPTIMIZERS.adam(vars, { adamBeta1: 0.9, adamBeta2: 0.99, adamEps: 1e-8, weightDecay: 0 });
  const rng = createRng(seed).fork('bench-organism-warm-start');
  const B = 64;
  const T = 7 + 11; // BOS + "ab+cd=" + up to 10 characters + EOS
  for (let s = 0; s < steps; s++) {
    const ids = new Int32Array(B * T).fill(CHAR_PAD_ID);
    const mask = new Float32Array(B * T);
    for (let i = 0; i < B; i++) {
      const a = 10 + rng.int(90);
      const b = 10 + rng.int(90);
      const row = [CHAR_BOS_ID, ...tok.encode(`${a}+${b}=`), ...tok.encode(completion(a, b, rng.next() < 0.65)), CHAR_EOS_ID];
      ids.set(row, i * T);
      mask.fill(1, i * T + 7, i * T + row.length);
    }
    tf.tidy(() => {
      const idsT = tf.tensor2d(ids, [B, T], 'int32');
      const m = tf.tensor2d(mask, [B, T]);
      const { grads } = tf.variableGrads(() => {
        const lp = model.tokenLogProbs(idsT, m);
        return tf.neg(tf.div(tf.sum(lp), tf.sum(m))) as tf.Scalar;
      }, vars);
      opt.apply(vars.map((v) => grads[v.name]), 3e-3);
    });
  }
  opt.dispose();
}

/** The benchmark's organism task; initialModel warm-starts a fresh model (deterministic per seed). */
export function organismBenchTask(warmSteps = 150): TrainTask {
  const tok = new CharTokenizer(ALPHABET);
  if (tok.vocabSize !== ORGANISM_SHAPE.vocabSize) throw new Error(`bench organism: vocabulary ${tok.vocabSize}, expected ${ORGANISM_SHAPE.vocabSize}`);
  return {
    name: 'bench organism (2-digit addition, d64 L2)',
    items: items(),
    encodePrompt: (p) => [CHAR_BOS_ID, ...tok.encode(p)],
    decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
    eosIds: tok.eosIds,
    padId: CHAR_PAD_ID,
    initialModel(seed) {
      const model = createGpt({ ...ORGANISM_SHAPE, seed: (seed % 1_000_000) + 1 });
      warmStart(model, tok, warmSteps, seed);
      return model;
    },
  };
}

/** The grid's GRPO settings on this task. */
export function organismBenchConfig(steps: number, microBatchSize: number, algo: Record<string, unknown> = {}): Readonly<TrainConfig> {
  return resolveTrainConfig({
    runDir: 'unused', seed: 1, steps, preset: 'authors', reward: 'random0.5', verifierDeadlineMs: 100,
    algo: { optimizer: 'sgd', lr: 0.05, groupSize: 16, promptsPerRollout: 64, minibatches: 8, epsLow: 0.2, epsHigh: 0.2, maxGradNorm: 1, klCoef: 0, ...algo },
    sampling: { maxNewTokens: 12, temperature: 1, microBatchSize },
  });
}

// ---- matmul peak -------------------------------------------------------------------------------

function matmulGflops(m: number, k: number, n: number, reps: number): number {
  const a = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  tf.matMul(a, b).dispose(); // warm XNNPACK's packing
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    ts.push(performance.now() - t0);
    c.dispose();
  }
  tf.dispose([a, b]);
  return (2 * m * k * n) / (Math.min(...ts) / 1000) / 1e9;
}

function matmulPeak(log: Log): void {
  log(`matmul (wasm XNNPACK, 1 thread), best of 7; load ${load()}`);
  const shapes: [string, number, number, number][] = [
    ['n = 1024 square', 1024, 1024, 1024],
    ['n = 512 square', 512, 512, 512],
    ['qkv    [2176,64]x[64,192]', 2176, 64, 192],
    ['mlp up [2176,64]x[64,256]', 2176, 64, 256],
    ['mlp dn [2176,256]x[256,64]', 2176, 256, 64],
    ['dW     [64,2176]x[2176,256]', 64, 2176, 256],
    ['decode [1024,64]x[64,256]', 1024, 64, 256],
  ];
  for (const [name, m, k, n] of shapes) log(`  ${name.padEnd(30)} ${matmulGflops(m, k, n, 7).toFixed(1).padStart(6)} GFLOP/s`);
}

// ---- kernel timers -----------------------------------------------------------------------------

interface KernelTimes {
  ms: Map<string, number>;
  calls: Map<string, number>;
}

/** The kernel's name, with BatchMatMul split into XNNPACK's 2-D fast path and the scalar loop (batched or transposed). */
function kernelLabel(kernel: string, args: Parameters<tf.KernelFunc>[0]): string {
  if (kernel !== 'BatchMatMul') return kernel;
  const a = args.inputs.a as tf.TensorInfo;
  const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
  const batch = a.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  return batch === 1 && attrs.transposeA !== true && attrs.transposeB !== true ? 'MatMul2D' : 'MatMulBatched';
}

/** Wraps every wasm kernel with a timer; returns the running totals and an unwrap. */
function wrapKernels(): { totals: KernelTimes; unwrap(): void } {
  const totals: KernelTimes = { ms: new Map(), calls: new Map() };
  const originals = tf.getKernelsForBackend('wasm');
  for (const k of originals) {
    const f = k.kernelFunc;
    const kernel = k.kernelName;
    tf.unregisterKernel(kernel, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        const name = kernelLabel(kernel, args);
        const t0 = performance.now();
        const out = f(args);
        totals.ms.set(name, (totals.ms.get(name) ?? 0) + performance.now() - t0);
        totals.calls.set(name, (totals.calls.get(name) ?? 0) + 1);
        return out;
      },
    });
  }
  return {
    totals,
    unwrap() {
      for (const k of originals) {
        tf.unregisterKernel(k.kernelName, 'wasm');
        tf.registerKernel(k);
      }
    },
  };
}

const sumMap = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

// ---- rollout batches ---------------------------------------------------------------------------

interface BatchTiming {
  wallS: number;
  cpuS: number;
  stages: Record<string, number>; // seconds per stage
  tokens: number;
  kernelMsByStage?: Record<string, number>;
  kernelCallsByStage?: Record<string, number>;
}

async function timedBatches(
  log: Log, label: string, task: TrainTask, model: CausalLM, cfg: Readonly<TrainConfig>, reps: number, profile: boolean,
): Promise<BatchTiming[]> {
  const params = model.parameters();
  const names = Object.keys(params);
  const state: TrainState = { model, reference: null, step: 0, optStep: 0, optimizer: OPTIMIZERS.sgd(names.map((n) => params[n]), cfg.algo, names) };
  const rewards = buildRewards(cfg.reward, cfg.verifierMode, 100);
  const total = cfg.steps * updatesPerStep(cfg);
  const out: BatchTiming[] = [];
  try {
    for (let i = 0; i <= reps + (profile ? 1 : 0); i++) {
      const profiling = profile && i === reps + 1;
      const wrap = profiling ? wrapKernels() : null;
      const stages: Record<string, number> = {};
      const kMs: Record<string, number> = {};
      const kCalls: Record<string, number> = {};
      let last = performance.now();
      let lastK = 0;
      let lastC = 0;
      const onStage = (s: GrpoStage): void => {
        const now = performance.now();
        stages[s] = (stages[s] ?? 0) + (now - last) / 1000;
        last = now;
        if (wrap !== null) {
          const k = sumMap(wrap.totals.ms);
          const c = sumMap(wrap.totals.calls);
          kMs[s] = (kMs[s] ?? 0) + k - lastK;
          kCalls[s] = (kCalls[s] ?? 0) + c - lastC;
          lastK = k;
          lastC = c;
        }
      };
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      last = t0;
      const r = await grpoStep(state, { cfg, task, rewards, onStage }, total);
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      wrap?.unwrap();
      const x = r.rollouts[0];
      const t: BatchTiming = { wallS, cpuS: (cpu.user + cpu.system) / 1e6, stages, tokens: x.responseLengthMean * x.responses };
      if (wrap !== null) {
        t.kernelMsByStage = kMs;
        t.kernelCallsByStage = kCalls;
        printKernels(log, label, t, wrap.totals);
      } else if (i > 0) {
        out.push(t);
      }
      if (!profiling) {
        log(`  ${label} batch ${i}${i === 0 ? ' (warm-up)' : ''}: ${wallS.toFixed(3)} s wall, ${t.cpuS.toFixed(3)} s CPU, `
          + `${t.tokens.toFixed(0)} completion tokens; load ${load()}`);
      }
    }
  } finally {
    state.optimizer.dispose();
  }
  return out;
}

function printKernels(log: Log, label: string, t: BatchTiming, totals: KernelTimes): void {
  log(`  ${label}: one profiled batch (every kernel timed; the timers add overhead): ${t.wallS.toFixed(3)} s wall; load ${load()}`);
  log(`    ${'stage'.padEnd(10)} ${'wall s'.padStart(7)} ${'kernel s'.padStart(8)} ${'kernels'.padStart(8)} ${'other s'.padStart(8)}  (other = dispatch, tape, JS)`);
  for (const s of STAGES) {
    if (t.stages[s] === undefined) continue;
    const k = (t.kernelMsByStage?.[s] ?? 0) / 1000;
    log(`    ${s.padEnd(10)} ${t.stages[s].toFixed(3).padStart(7)} ${k.toFixed(3).padStart(8)} ${String(t.kernelCallsByStage?.[s] ?? 0).padStart(8)} ${(t.stages[s] - k).toFixed(3).padStart(8)}`);
  }
  const top = [...totals.ms.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14);
  log(`    top kernels (whole batch): ${top.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(3)} s/${totals.calls.get(n)}`).join(', ')}`);
}

function summarise(log: Log, label: string, ts: BatchTiming[]): void {
  const stageMed = (s: string): number => median(ts.map((t) => t.stages[s] ?? 0));
  const update = ['rows', 'old-logp', 'forward', 'backward', 'optimizer', 'read'].reduce((a, s) => a + stageMed(s), 0);
  log(`  ${label}: median ${median(ts.map((t) => t.wallS)).toFixed(3)} s wall (min ${Math.min(...ts.map((t) => t.wallS)).toFixed(3)}, `
    + `max ${Math.max(...ts.map((t) => t.wallS)).toFixed(3)}), ${median(ts.map((t) => t.cpuS)).toFixed(3)} s CPU per rollout batch; `
    + `sampling ${stageMed('sample').toFixed(3)} + scoring ${stageMed('score').toFixed(3)} + update ${update.toFixed(3)}`);
  log(`    per stage (median s): ${STAGES.filter((s) => ts.some((t) => t.stages[s] !== undefined)).map((s) => `${s} ${stageMed(s).toFixed(3)}`).join(', ')}`);
}

// ---- layouts of the update's forward -------------------------------------------------------------

/**
 * One minibatch's objective and gradients (no optimizer step), per policyTerms layout, on the
 * minibatches of a real rollout, the variants interleaved so that load hits them alike.
 */
async function layoutAblation(log: Log, task: TrainTask, model: CausalLM, cfg: Readonly<TrainConfig>): Promise<void> {
  const rollout = await sampleRollout(model, task, task.items.slice(0, 64), 16, cfg.sampling, 5);
  const plan = planMinibatches(rollout.texts.length, cfg.algo, createRng(1).fork('bench-layouts'));
  const variants: { label: string; opts: PolicyTermsOptions }[] = [
    { label: 'every row whole', opts: { sharePrompts: false, lengthBuckets: false } },
    { label: 'prompts shared', opts: { sharePrompts: true, lengthBuckets: false } },
    { label: 'shared + 2 length groups', opts: { sharePrompts: true, lengthBuckets: true } },
  ];
  const vars = Object.values(model.parameters());
  const ms = variants.map(() => [] as number[]);
  for (let round = 0; round < 2; round++) {
    for (const idx of plan) {
      const rows = sequenceRows(rollout, idx, task.padId);
      const T1 = rows.length - 1;
      variants.forEach((v, k) => {
        const t0 = performance.now();
        tf.tidy(() => {
          const old = tf.tensor2d(rows.samplerLogp, [rows.rows, T1]);
          const mask = tf.tensor2d(rows.responseMask, [rows.rows, T1]);
          const adv = tf.tensor1d(Float32Array.from(idx, (_, i) => (i % 3) - 1));
          const { grads } = tf.variableGrads(() => {
            const cur = policyTerms(model, rows, v.opts);
            return grpoLoss({ logp: cur.logp, oldLogp: old, adv, mask, entropy: cur.entropy }, cfg.algo).loss;
          }, vars);
          tf.stack(Object.values(grads).map((g) => tf.sum(g))).dataSync();
        });
        if (round > 0) ms[k].push(performance.now() - t0);
      });
    }
  }
  log(`one minibatch (128 rows) forward + backward by layout, median of ${ms[0].length}, interleaved; load ${load()}`);
  variants.forEach((v, k) => log(`  ${v.label.padEnd(26)} ${median(ms[k]).toFixed(1).padStart(6)} ms`));
}

// ---- sampling micro-batch size -----------------------------------------------------------------

async function samplingSizes(log: Log, task: TrainTask, model: CausalLM): Promise<void> {
  const prompts: number[][] = [];
  for (const it of task.items.slice(0, 64)) for (let j = 0; j < 16; j++) prompts.push(task.encodePrompt(it.prompt));
  log(`sampling alone, 1,024 rows (64 prompts x 16), maxNewTokens 12, temperature 1; load ${load()}`);
  for (const mb of [64, 256, 1024]) {
    const ms: number[] = [];
    for (let r = 0; r < 4; r++) {
      const out = await generate(model, prompts, { maxNewTokens: 12, temperature: 1, seed: 1 + r, eosIds: task.eosIds, padId: task.padId, microBatchSize: mb });
      if (r > 0) ms.push(out.stats.ms);
    }
    log(`  microBatchSize ${String(mb).padStart(4)}: ${(median(ms) / 1000).toFixed(3)} s; load ${load()}`);
  }
}

// ---- entry -------------------------------------------------------------------------------------

export async function run(log: Log = console.log): Promise<void> {
  const init = await initBackend({ backend: 'wasm' });
  log(`backend ${init.chosen} (SIMD ${String(init.simd)}, threads ${String(init.threads)}); ${os.cpus().length} cores; load ${load()}`);
  const reps = envInt('RLVR_BENCH_REPS', 5);
  const profile = envInt('RLVR_BENCH_PROFILE', 1) !== 0;
  const micro = envInt('RLVR_SAMPLING_MICRO_BATCH', 1024);
  matmulPeak(log);

  const task = organismBenchTask();
  const w0 = performance.now();
  const base = task.initialModel(1);
  log(`organism d64 L2 (${Object.values(base.parameters()).reduce((a, v) => a + v.size, 0)} parameters), warm-started in ${((performance.now() - w0) / 1000).toFixed(1)} s`);
  const snapshot = Object.fromEntries(Object.entries(base.parameters()).map(([k, v]) => [k, v.clone()]));

  // π_old from the sampler (the default) and recomputed by an extra no-grad forward (the old path);
  // a checkout without the oldLogProbs switch runs its only path.
  let hasSwitch = true;
  try {
    resolveGrpoConfig('authors', { oldLogProbs: 'sampler' });
  } catch {
    hasSwitch = false;
  }
  const configs: { label: string; algo: Record<string, unknown> }[] = hasSwitch
    ? [{ label: 'pi_old from the sampler', algo: { oldLogProbs: 'sampler' } }, { label: 'pi_old recomputed', algo: { oldLogProbs: 'recompute' } }]
    : [{ label: 'pi_old recomputed', algo: {} }];
  for (const c of configs) {
    // Every configuration starts from the same weights, so they sample the same first batch.
    for (const [k, v] of Object.entries(base.parameters())) v.assign(snapshot[k]);
    const cfg = organismBenchConfig(reps + 3, micro, c.algo);
    log(`\n${c.label}: 64 prompts x 16, M = 8, sampling micro-batch ${micro}; load ${load()}`);
    const ts = await timedBatches(log, c.label, task, base, cfg, reps, profile);
    summarise(log, c.label, ts);
  }
  log('');
  if (hasSwitch) await layoutAblation(log, task, base, organismBenchConfig(1, micro));
  log('');
  await samplingSizes(log, task, base);
  tf.dispose(Object.values(snapshot));
  base.dispose();
}
