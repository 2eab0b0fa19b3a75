// The paper's evaluation protocol (spec §8, Rethink_RLVR eval_checkpoint.py): MATH-500 one greedy
// sample; AMC, AIME 2024 and AIME 2025 avg@8 at temperature 0.6; top_p 1; at most 3072 new tokens.
// Grading is always the plain `math` reward (no _r1_style), here in both verifier modes.
import { BENCHMARKS, type BenchmarkName } from '../data';

export interface BenchmarkPlan {
  benchmark: BenchmarkName;
  displayName: string;
  /** The headline metric: 'pass@1' (greedy, one sample) or 'avg@8' (mean correctness over 8 samples). */
  metric: string;
  samples: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  /** pass@k values reported alongside (k <= samples). */
  passK: number[];
}

/** spec §8: vLLM's default top_p and the eval script's token budget. */
export const EVAL_TOP_P = 1;
export const EVAL_MAX_TOKENS = 3072;

export interface PlanOverrides {
  /** Samples per problem instead of the protocol's (the metric becomes avg@n). */
  samples?: number;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
}

/** The protocol for one benchmark, with optional overrides (recorded in the run config). */
export function benchmarkPlan(benchmark: BenchmarkName, o: PlanOverrides = {}): BenchmarkPlan {
  if (!Object.prototype.hasOwnProperty.call(BENCHMARKS, benchmark)) {
    throw new Error(`eval: benchmark "${String(benchmark)}" is not known; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  const info = BENCHMARKS[benchmark];
  const samples = o.samples ?? info.samples;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`eval: samples must be a positive integer, received ${samples}`);
  const temperature = o.temperature ?? info.temperature;
  const metric = samples === info.samples ? info.metric : samples === 1 ? 'pass@1' : `avg@${samples}`;
  const passK = [...new Set([1, samples])].sort((a, b) => a - b);
  return { benchmark, displayName: info.displayName, metric, samples, temperature, topP: o.topP ?? EVAL_TOP_P, maxTokens: o.maxTokens ?? EVAL_MAX_TOKENS, passK };
}

/** Benchmark names from a comma-separated list ("math500,amc"); unknown names list the known ones. */
export function parseBenchmarkList(list: string): BenchmarkName[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new Error(`eval: no benchmarks in "${list}"; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  for (const n of names) {
    if (!Object.prototype.hasOwnProperty.call(BENCHMARKS, n)) throw new Error(`eval: benchmark "${n}" is not known; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  return [...new Set(names)] as BenchmarkName[];
}
