// The authors' `math` reward as one verdict: extract_answer then grade_answer (spec §3.4), with the
// multiple-choice extractor when the label is exactly A, B, C or D. The Python original has no limits at
// all; here sizes are capped and the call never throws, so pathological inputs come back quickly.

import type { Verdict } from '../types';
import { authorsExtractAnswer, authorsExtractChoice } from './extract';
import { gradeAnswer } from './grade';
import { DEFAULT_DEADLINE_MS } from '../limits';

export interface AuthorsVerifyOptions {
  /** Grade `response` as an already-extracted answer, as if the model had written \boxed{response}. */
  isPred?: boolean;
  /** R1-style prompting: extraction reads the text after the last `<answer>`. */
  r1Style?: boolean;
  /** Wall-clock budget for the call in ms (default 50); past it the verdict is `limit_exceeded`. */
  deadlineMs?: number;
}

/** Longest response read (the 200 KB pathological text is fine; beyond this the verdict is limit_exceeded). */
const MAX_RESPONSE_CHARS = 1_000_000;
/**
 * Longest extracted answer or label graded. Every step is linear, so this only bounds the time (~10-25 ms at
 * the cap); it still admits the 20,000-character pathological answers, which then grade as the original does.
 */
const MAX_ANSWER_CHARS = 50_000;

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

const CHOICE_LABELS = new Set(['A', 'B', 'C', 'D']);

function limited(extracted: string | null): Verdict {
  return { correct: false, extracted, reason: 'limit_exceeded' };
}

/** The authors' reward for one response (or one extracted answer with isPred). Never throws. */
export function authorsVerify(response: string, gold: string, opts: AuthorsVerifyOptions = {}): Verdict {
  const start = now();
  const deadline = start + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  let extracted: string | null = null;
  try {
    const text = opts.isPred ? `\\boxed{${response}}` : response;
    if (text.length > MAX_RESPONSE_CHARS || gold.length > MAX_ANSWER_CHARS) return limited(null);
    const answer = CHOICE_LABELS.has(gold)
      ? authorsExtractChoice(text, opts.r1Style ?? false)
      : authorsExtractAnswer(text, opts.r1Style ?? false);
    extracted = answer === '' ? null : answer;
    if (answer.length > MAX_ANSWER_CHARS) return limited(extracted);
    const left = deadline - now();
    if (left <= 0) return limited(extracted);
    const correct = gradeAnswer(answer, gold, { compareMs: left });
    if (now() > deadline && !correct) return limited(extracted);
    if (gold.trim() === '') return { correct, extracted, reason: 'empty_gold' };
    if (correct) return { correct, extracted, reason: 'equivalent' };
    return { correct, extracted, reason: extracted === null ? 'no_answer' : 'not_equivalent' };
  } catch {
    // A bug or an engine limit (stack, memory) must not take the caller down: the reward is 0.
    return limited(extracted);
  }
}
