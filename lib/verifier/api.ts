// The verifier's entry points: strict mode (true mathematical equivalence, the labelling policy of
// shared/data/verifier) and authors mode (the paper's `math` reward, quirks included).
import type { Verdict, VerifierMode, VerifyOptions } from './types';
import { authorsExtractAnswer, authorsExtractBoxOnly, authorsGradeAnswer, authorsVerify } from './authors';
import { compareAnswers } from './compare';
import { strictExtract, strictVerify } from './verify';


/** Grade one response (or, with isPred, one already-extracted answer) against a gold answer. Never throws. */
export function verify(response: string, gold: string, opts: VerifyOptions = {}): Verdict {
  if ((opts.mode ?? 'strict') === 'authors') {
    return authorsVerify(response, gold, { isPred: opts.isPred, r1Style: opts.r1Style, deadlineMs: opts.deadlineMs });
  }
  return strictVerify(response, gold, { isPred: opts.isPred, deadlineMs: opts.deadlineMs });
}

/**
 * The final answer of a response under a mode; null when there is none (authors: where its code yields ''). Never throws.
 * r1Style only changes authors mode: strict extraction always reads <answer> blocks as well as boxes.
 */
export function extractAnswer(response: string, opts: { mode?: VerifierMode; r1Style?: boolean } = {}): string | null {
  if ((opts.mode ?? 'strict') === 'authors') {
    try {
      const a = authorsExtractAnswer(response, opts.r1Style ?? false);
      return a === '' ? null : a;
    } catch {
      return null;
    }
  }
  return strictExtract(response);
}

/** The authors' box-only extraction used by the `box_only_format` reward (spec §3.5); null when it yields ''. */
export function extractBoxedOnly(response: string, opts: { r1Style?: boolean } = {}): string | null {
  try {
    const a = authorsExtractBoxOnly(response, opts.r1Style ?? false);
    return a === '' ? null : a;
  } catch {
    return null;
  }
}

/** Are two already-extracted answers equivalent? strict: own parser and comparison; authors: grade_answer(pred, gold). */
export function answersEquivalent(pred: string, gold: string, opts: { mode?: VerifierMode } = {}): boolean {
  if ((opts.mode ?? 'strict') === 'authors') {
    try {
      return authorsGradeAnswer(pred, gold);
    } catch {
      return false;
    }
  }
  return compareAnswers(pred, gold) === 'equal';
}

const REASON_TEXT: Record<Verdict['reason'], string> = {
  equivalent: 'equivalent to the gold answer',
  not_equivalent: 'not equivalent to the gold answer',
  no_answer: 'no final answer found',
  unclosed_box: 'cut off inside its last \\boxed{}',
  unparseable: 'answer could not be read',
  limit_exceeded: 'a size, depth or time limit was hit',
  empty_gold: 'the gold answer is empty',
};

/** One-line human text for a verdict. */
export function describeVerdict(v: Verdict): string {
  const shown = v.extracted === null ? 'no answer' : JSON.stringify(v.extracted.length > 80 ? v.extracted.slice(0, 77) + '...' : v.extracted);
  return `${v.correct ? 'correct' : 'wrong'}: ${shown} (${REASON_TEXT[v.reason]})`;
}
