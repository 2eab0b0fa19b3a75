// Scoring a labelled verifier corpus (shared/data/verifier/*.jsonl, loaded by lib/data's loadVerifierCorpus):
// accuracy, false positives and false negatives by kind, for our two modes next to the four stored references.
import type { VerifierMode } from './types';
import { verify } from './api';

export const REFERENCE_GRADERS = ['ttrl', 'qwen', 'mathverify', 'hendrycks'] as const;
export type ReferenceGrader = (typeof REFERENCE_GRADERS)[number];

/** The fields scoring needs; lib/data's VerifierItem has this shape. */
export interface LabelledItem {
  id: string;
  kind: string;
  /** A full response, or (pred) an already-extracted answer: exactly one is present. */
  response?: string;
  pred?: string;
  gold: string;
  label: boolean;
  /** Synthetic rewrite, e.g. "int:trailing-period". */
  transform?: string;
  /** Stored verdicts of the references; null = timed out. */
  ref_ttrl: boolean | null;
  ref_qwen: boolean | null;
  ref_mathverify: boolean | null;
  ref_hendrycks: boolean | null;
}

/** The synthetic "17." for "17" variants (over-represented; scored with and without them). */
export function isTrailingPeriod(item: LabelledItem): boolean {
  return (item.transform ?? '').includes('trailing-period');
}

export type GraderName = VerifierMode | `ref_${ReferenceGrader}`;

/** Accuracy of verdicts against labels for one group of items. */
export interface LabelTally {
  kind: string;
  n: number;
  correct: number;
  accuracy: number;
  /** Verdict true, label false. */
  falsePositives: number;
  /** Verdict false, label true (a reference's timeout counts here when the label is true). */
  falseNegatives: number;
}

export interface KindScore extends LabelTally {
  grader: GraderName;
}

export interface ScoreOptions {
  /** Our modes to run (default both). */
  modes?: VerifierMode[];
  /** Include the stored reference verdicts (default true). */
  references?: boolean;
  /** Leave out the trailing-period items. */
  withoutTrailingPeriod?: boolean;
  /** Per-item deadline for our modes (default: the verifier's DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

/** Tallies verdicts against labels by kind, with a final 'all' row. */
export function tallyByKind(rows: { kind: string; label: boolean; verdict: boolean }[]): LabelTally[] {
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  return [...kinds, 'all'].map((kind) => {
    let n = 0, correct = 0, fp = 0, fn = 0;
    for (const r of rows) {
      if (kind !== 'all' && r.kind !== kind) continue;
      n++;
      if (r.verdict === r.label) correct++;
      else if (r.verdict) fp++;
      else fn++;
    }
    return { kind, n, correct, accuracy: n === 0 ? 0 : correct / n, falsePositives: fp, falseNegatives: fn };
  });
}

/** Our verdict on one item under a mode. */
export function gradeItem(item: LabelledItem, mode: VerifierMode, deadlineMs?: number): boolean {
  const isPred = item.pred !== undefined;
  return verify(isPred ? (item.pred as string) : (item.response ?? ''), item.gold, { mode, isPred, deadlineMs }).correct;
}

/**
 * Per-kind accuracy, FP and FN for our modes and the references, with an 'all' row per grader.
 * Plain records, for tables and the notebook's plots.
 */
export function scoreCorpus(items: readonly LabelledItem[], opts: ScoreOptions = {}): KindScore[] {
  const use = opts.withoutTrailingPeriod ? items.filter((it) => !isTrailingPeriod(it)) : [...items];
  const verdicts = new Map<GraderName, boolean[]>();
  for (const mode of opts.modes ?? (['strict', 'authors'] as VerifierMode[])) verdicts.set(mode, use.map((it) => gradeItem(it, mode, opts.deadlineMs)));
  if (opts.references ?? true) for (const r of REFERENCE_GRADERS) verdicts.set(`ref_${r}`, use.map((it) => it[`ref_${r}`] === true));
  const rows: KindScore[] = [];
  for (const [grader, vs] of verdicts) {
    for (const t of tallyByKind(use.map((it, i) => ({ kind: it.kind, label: it.label, verdict: vs[i] })))) rows.push({ ...t, grader });
  }
  return rows;
}

/** One row per kind with one accuracy column per grader: the wide view of scoreCorpus's rows. */
export type AccuracyMatrixRow = { kind: string; n: number } & Partial<Record<GraderName, number>>;

/** Pivots scoreCorpus's rows to kind x grader accuracy (kinds in their original order). */
export function accuracyMatrix(scores: readonly KindScore[]): AccuracyMatrixRow[] {
  const rows = new Map<string, AccuracyMatrixRow>();
  for (const s of scores) {
    const row = rows.get(s.kind) ?? { kind: s.kind, n: s.n };
    row[s.grader] = s.accuracy;
    rows.set(s.kind, row);
  }
  return [...rows.values()];
}
