// Per-benchmark numbers of an evaluation run: the headline accuracy (avg@n over all samples; greedy
// pass@1 for one sample), unbiased pass@k, code-reasoning frequency, and accuracy with and without
// code (spec §6.2, Table 1), each with a Wilson interval over samples. Samples of one problem are not
// independent, so for avg@8 the intervals are narrower than a per-problem bootstrap would give.
import type { VerifierMode } from '../verifier';
import type { GradedSample } from './grade-sample';
import { wilsonInterval, type Proportion } from './intervals';
import { meanPassAtK } from './pass-at-k';
import type { BenchmarkPlan } from './protocol';

/** One problem's outcome: one line of a run's samples/<benchmark>.jsonl. */
export interface ProblemResult {
  benchmark: string;
  /** Position in the benchmark file (0-based). */
  index: number;
  id: string | number;
  problem: string;
  gold: string;
  /** The rendered prompt, or the chat messages as JSON. */
  prompt: string;
  samples: GradedSample[];
}

export interface ModeSummary {
  /** Correct samples / all samples: the paper's avg@n (pass@1 for greedy single samples). */
  accuracy: Proportion;
  /** "pass@1", "pass@8", ...: unbiased estimator, mean over problems. */
  passAtK: Record<string, number>;
  /** Accuracy of the samples that mention python / that do not. */
  withCode: Proportion;
  withoutCode: Proportion;
}

export interface BenchmarkSummary {
  benchmark: string;
  displayName: string;
  metric: string;
  problems: number;
  samplesPerProblem: number;
  temperature: number;
  /** Samples that mention python, out of all samples. */
  codeFrequency: Proportion;
  /** How samples ended ('stop', 'length', ...). */
  finishReasons: Record<string, number>;
  strict: ModeSummary;
  authors: ModeSummary;
}

function modeSummary(results: readonly ProblemResult[], mode: VerifierMode, passK: readonly number[]): ModeSummary {
  const all = results.flatMap((r) => r.samples);
  const count = (xs: readonly GradedSample[]): number => xs.filter((s) => s[mode].correct).length;
  const code = all.filter((s) => s.usesCode);
  const noCode = all.filter((s) => !s.usesCode);
  const counts = results.map((r) => [r.samples.length, count(r.samples)] as const);
  const passAtK: Record<string, number> = {};
  for (const k of passK) if (results.every((r) => r.samples.length >= k)) passAtK[`pass@${k}`] = meanPassAtK(counts, k);
  return {
    accuracy: wilsonInterval(count(all), all.length),
    passAtK,
    withCode: wilsonInterval(count(code), code.length),
    withoutCode: wilsonInterval(count(noCode), noCode.length),
  };
}

export function summarizeBenchmark(plan: BenchmarkPlan, results: readonly ProblemResult[]): BenchmarkSummary {
  const all = results.flatMap((r) => r.samples);
  const finishReasons: Record<string, number> = {};
  for (const s of all) {
    const k = s.finishReason ?? 'unknown';
    finishReasons[k] = (finishReasons[k] ?? 0) + 1;
  }
  return {
    benchmark: plan.benchmark,
    displayName: plan.displayName,
    metric: plan.metric,
    problems: results.length,
    samplesPerProblem: plan.samples,
    temperature: plan.temperature,
    codeFrequency: wilsonInterval(all.filter((s) => s.usesCode).length, all.length),
    finishReasons,
    strict: modeSummary(results, 'strict', plan.passK),
    authors: modeSummary(results, 'authors', plan.passK),
  };
}
