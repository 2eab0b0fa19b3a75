// The labelled verifier corpus, verifier/dev.jsonl (shared/data/verifier/README.md): (response or pred, gold, label)
// plus the verdicts of four reference graders. Field names are kept exactly as in the file.
import { DataError, readJsonl, stringField, type JsonlRecord } from '../util';
import { join } from 'node:path';
import { findProjectRoot, resolveDataFile, type DataOptions } from './paths';
import { REFERENCE_GRADERS, type ReferenceGrader } from '../verifier';

export const VERIFIER_CORPUS_PATH = 'verifier/dev.jsonl';

/**
 * The lab's own labelled items (issue 12), committed in the repository's data/verifier/ (not a data directory):
 * `dev` is for tuning next to dev.jsonl; `heldback` is only ever scored, to measure generalization.
 */
export const VERIFIER_ADDITIONS = { dev: 'verifier/additions-dev.jsonl', heldback: 'verifier/additions-heldback.jsonl' } as const;

/** Path of one additions file in this checkout (data/verifier/ under the project root). */
export function verifierAdditionsPath(split: keyof typeof VERIFIER_ADDITIONS): string {
  const root = findProjectRoot();
  if (root === undefined) throw new Error(`${VERIFIER_ADDITIONS[split]}: not inside a spurious-rlvr checkout (no package.json named spurious-rlvr above ${process.cwd()})`);
  return join(root, 'data', VERIFIER_ADDITIONS[split]);
}

export const VERIFIER_ITEM_KINDS = ['real-response', 'real-pred', 'synthetic-pred', 'synthetic-response', 'pathological'] as const;
export type VerifierItemKind = (typeof VERIFIER_ITEM_KINDS)[number];

// The reference graders (ttrl = the paper's `math` reward, qwen = Qwen2.5-Math math_equal, Math-Verify 0.8.0,
// Hendrycks boxed match) are the verifier's vocabulary; the corpus stores one verdict per grader.
export { REFERENCE_GRADERS, type ReferenceGrader };

export interface VerifierItem {
  /** "dev-NNNN". */
  id: string;
  /** A full model output; exactly one of `response` and `pred` is present. */
  response?: string;
  /** An already-extracted answer, graded as if the model had written \boxed{pred}. */
  pred?: string;
  /** Reference answer with the source data set's quirks kept ("142.0", "025", ...). */
  gold: string;
  /** True if the final answer is mathematically equivalent to the gold. */
  label: boolean;
  /** Reference verdicts; null = that grader timed out (20 s). */
  ref_ttrl: boolean | null;
  ref_qwen: boolean | null;
  ref_mathverify: boolean | null;
  ref_hendrycks: boolean | null;
  ref_timeouts: ReferenceGrader[];
  /** construction, references-unanimous[-on-final-answer], hand, rule:no-final-answer. */
  label_source: string;
  /** The final answer the labelling rule extracted, when the label came from it. */
  final_answer?: string;
  /** Provenance, "real:..." or "synthetic:...". */
  source: string;
  kind: VerifierItemKind;
  /** Synthetic items: gold type and rewrite, e.g. "frac:unreduced-fraction". */
  transform?: string;
  /** Why the label was decided that way ("" when obvious). */
  notes: string;
  /** Problem text; absent for pathological items. */
  question?: string;
  /** 1-based line in the file. */
  line: number;
}

/** Loads verifier/dev.jsonl (or another file of the same format via `file`), checking every field. */
export function loadVerifierCorpus(opts: DataOptions & { file?: string } = {}): VerifierItem[] {
  const file = opts.file ?? resolveDataFile(VERIFIER_CORPUS_PATH, opts);
  return readJsonl(file).map((rec) => parseVerifierItem(rec, file));
}

function parseVerifierItem(rec: JsonlRecord, file: string): VerifierItem {
  const str = (field: string) => stringField(rec, field, file) as string;
  const optStr = (field: string) => stringField(rec, field, file, { optional: true });
  const fail = (field: string, problem: string): never => {
    throw new DataError({ file, line: rec.line, field }, problem);
  };
  const response = optStr('response');
  const pred = optStr('pred');
  if (response !== undefined && pred !== undefined) fail('pred', 'the item has both "response" and "pred"; it needs exactly one');
  if (response === undefined && pred === undefined) fail('response', 'missing; each item needs a "response" or a "pred"');
  const label = rec.value.label;
  if (typeof label !== 'boolean') fail('label', label === undefined ? 'missing' : `expected true or false, received ${JSON.stringify(label)}`);
  const ref = (g: ReferenceGrader): boolean | null => {
    const v = rec.value[`ref_${g}`];
    if (v === null || typeof v === 'boolean') return v as boolean | null;
    return fail(`ref_${g}`, v === undefined ? 'missing' : `expected true, false or null, received ${JSON.stringify(v)}`);
  };
  const kind = str('kind');
  if (!(VERIFIER_ITEM_KINDS as readonly string[]).includes(kind)) fail('kind', `unknown kind "${kind}"; known: ${VERIFIER_ITEM_KINDS.join(', ')}`);
  const timeouts = rec.value.ref_timeouts ?? [];
  if (!Array.isArray(timeouts) || !timeouts.every((t) => (REFERENCE_GRADERS as readonly unknown[]).includes(t))) {
    fail('ref_timeouts', `expected a list of grader names (${REFERENCE_GRADERS.join(', ')}), received ${JSON.stringify(timeouts)}`);
  }
  const item: VerifierItem = {
    id: str('id'),
    gold: str('gold'),
    label: label as boolean,
    ref_ttrl: ref('ttrl'),
    ref_qwen: ref('qwen'),
    ref_mathverify: ref('mathverify'),
    ref_hendrycks: ref('hendrycks'),
    ref_timeouts: timeouts as ReferenceGrader[],
    label_source: str('label_source'),
    source: str('source'),
    kind: kind as VerifierItemKind,
    notes: optStr('notes') ?? '',
    line: rec.line,
  };
  // Optional fields are set only when present, so `'pred' in item` tells the two item shapes apart.
  if (response !== undefined) item.response = response;
  if (pred !== undefined) item.pred = pred;
  const finalAnswer = optStr('final_answer');
  if (finalAnswer !== undefined) item.final_answer = finalAnswer;
  const transform = optStr('transform');
  if (transform !== undefined) item.transform = transform;
  const question = optStr('question');
  if (question !== undefined) item.question = question;
  return item;
}
