// Evaluation results as arquero tables for notebooks: one row per benchmark and verifier mode, and one
// row per sample. Proportions are flattened into rate/low/high columns so plots need no unpacking.
import { from, type ColumnTable } from 'arquero';
import { EVAL_MODES } from './grade-sample';
import type { BenchmarkSummary, ProblemResult } from './eval-summary';

/** Rows: benchmark × mode, with accuracy (+ Wilson CI), pass@k columns, code frequency and accuracy with/without code. */
export function evalSummaryTable(summaries: readonly BenchmarkSummary[]): ColumnTable {
  const ks = [...new Set(summaries.flatMap((s) => Object.keys(s.strict.passAtK)))];
  const rows = summaries.flatMap((s) =>
    EVAL_MODES.map((mode) => {
      const m = s[mode];
      const row: Record<string, string | number | null> = {
        benchmark: s.benchmark,
        mode,
        metric: s.metric,
        problems: s.problems,
        samples: m.accuracy.n,
        accuracy: m.accuracy.rate,
        accuracy_low: m.accuracy.low,
        accuracy_high: m.accuracy.high,
      };
      for (const k of ks) row[k] = m.passAtK[k] ?? null;
      Object.assign(row, {
        code_frequency: s.codeFrequency.rate,
        code_low: s.codeFrequency.low,
        code_high: s.codeFrequency.high,
        acc_with_code: m.withCode.rate,
        acc_with_code_n: m.withCode.n,
        acc_without_code: m.withoutCode.rate,
        acc_without_code_n: m.withoutCode.n,
      });
      return row;
    }),
  );
  return from(rows);
}

/** Rows: one per sample (benchmark, problem index and id, sample index, code use, correctness and answers per mode). */
export function evalSamplesTable(results: readonly ProblemResult[]): ColumnTable {
  return from(
    results.flatMap((r) =>
      r.samples.map((s, j) => ({
        benchmark: r.benchmark,
        index: r.index,
        id: String(r.id),
        sample: j,
        uses_code: s.usesCode,
        strict_correct: s.strict.correct,
        authors_correct: s.authors.correct,
        strict_extracted: s.strict.extracted,
        authors_extracted: s.authors.extracted,
        gold: r.gold,
        finish_reason: s.finishReason,
        chars: s.text.length,
      })),
    ),
  );
}
