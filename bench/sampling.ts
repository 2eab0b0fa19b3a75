// Sampling throughput of generate() with the KV cache: organism GPTs (d128/4 layers and
// d256/6 layers, vocab 64), batch 64, prompts of 64 and 512 tokens, 32 new tokens at
// temperature 1. Decode tok/s counts new tokens over the time after the prefill; the
// prefill (chunked forwards over the padded batch) is reported separately. The last line per
// model is decoding speed at 512 context as a share of that at 64 (issue 3's target: >= 70%
// on the 2-core cpu machine), next to the bound that reading the cache sets: the extra keys and
// values a step at 512 reads, at the machine's single-core read bandwidth (numpy's sum of
// 128 MB, when python3 has numpy). The backend follows RLVR_BACKEND (initBackend).
import { spawnSync } from 'node:child_process';
import { initBackend } from '../lib/tensor';
import { createGpt } from '../lib/models';
import { createRng } from '../lib/util';
import { generate } from '../lib/sampling';

export interface SamplingBenchRow {
  model: string;
  batch: number;
  promptTokens: number;
  newTokens: number;
  prefillMs: number;
  /** Milliseconds per decode step (all rows). */
  stepMs: number;
  /** New tokens per second after the prefill. */
  decodeTokPerS: number;
  /** New tokens per second including the prefill. */
  overallTokPerS: number;
}

const SIZES = [
  { name: 'd128 L4 (4 heads)', dModel: 128, nLayers: 4, nHeads: 4 },
  { name: 'd256 L6 (8 heads)', dModel: 256, nLayers: 6, nHeads: 8 },
];
const VOCAB = 64;
const BATCH = 64;
const NEW_TOKENS = 32;

function randomPrompts(n: number, len: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: len }, () => 3 + rng.int(VOCAB - 3)));
}

const READ_SCRIPT = `
import json, sys, time
import numpy as np
a = np.ones(32 * 1024 * 1024, dtype=np.float32)
a.sum()
ts = []
for _ in range(5):
    t0 = time.perf_counter(); a.sum(); ts.append(time.perf_counter() - t0)
json.dump(a.nbytes / min(ts) / 1e9, sys.stdout)
`;

/** One core's read bandwidth in GB/s (numpy's SIMD sum of 128 MB), or why not measured. */
function readBandwidth(): number | string {
  const one = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync('python3', ['-c', READ_SCRIPT], { encoding: 'utf8', env: { ...process.env, ...one }, timeout: 60_000 });
  if (r.error) return `python3 not runnable: ${r.error.message}`;
  if (r.status !== 0) return `numpy failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  return JSON.parse(r.stdout) as number;
}

/** The best 512-vs-64 ratio a step can reach when it must also read the extra cache at `gbps`. */
function cacheReadBound(short: SamplingBenchRow, size: { dModel: number; nLayers: number }, gbps: number): string {
  const extraBytes = 2 * BATCH * (512 - 64) * size.dModel * size.nLayers * 4; // keys and values, float32
  const readMs = extraBytes / (gbps * 1e6);
  return `reading the extra ${(extraBytes / 1e6).toFixed(0)} MB of cache at ${gbps.toFixed(1)} GB/s takes ${readMs.toFixed(1)} ms: ` +
    `at most ${((100 * short.stepMs) / (short.stepMs + readMs)).toFixed(0)}% on this machine`;
}

export async function run(log: (line: string) => void = console.log): Promise<SamplingBenchRow[]> {
  const report = await initBackend();
  log(`backend ${report.chosen}, simd ${report.simd}, threads ${report.threads}; batch ${BATCH}, ${NEW_TOKENS} new tokens, temperature 1`);
  const rows: SamplingBenchRow[] = [];
  let bandwidth: number | string | undefined;
  for (const size of SIZES) {
    for (const ctx of [64, 512]) {
      const model = createGpt({ vocabSize: VOCAB, dModel: size.dModel, nLayers: size.nLayers, nHeads: size.nHeads, contextLength: ctx + NEW_TOKENS, seed: 1 });
      try {
        const prompts = randomPrompts(BATCH, ctx, ctx);
        const { stats } = await generate(model, prompts, { maxNewTokens: NEW_TOKENS, temperature: 1, seed: 1 });
        const decodeMs = stats.ms - stats.prefillMs;
        const row: SamplingBenchRow = {
          model: size.name,
          batch: BATCH,
          promptTokens: ctx,
          newTokens: NEW_TOKENS,
          prefillMs: stats.prefillMs,
          stepMs: decodeMs / NEW_TOKENS,
          decodeTokPerS: (BATCH * NEW_TOKENS) / (decodeMs / 1000),
          overallTokPerS: stats.tokensGenerated / (stats.ms / 1000),
        };
        rows.push(row);
        log(
          `${row.model} prompt ${ctx}: prefill ${(row.prefillMs / 1000).toFixed(2)} s, ${row.stepMs.toFixed(1)} ms/step → ` +
            `${row.decodeTokPerS.toFixed(0)} tok/s decoding, ${row.overallTokPerS.toFixed(0)} tok/s with prefill`,
        );
      } finally {
        model.dispose();
      }
    }
    const [short, long] = rows.slice(-2);
    log(`${size.name}: decoding at 512 context runs at ${((100 * long.decodeTokPerS) / short.decodeTokPerS).toFixed(0)}% of its speed at 64 context`);
    if (report.chosen === 'wasm' || report.chosen === 'cpu') {
      bandwidth ??= readBandwidth();
      log(`${size.name}: ${typeof bandwidth === 'number' ? cacheReadBound(short, size, bandwidth) : `no read-bandwidth bound (${bandwidth})`}`);
    }
  }
  return rows;
}
