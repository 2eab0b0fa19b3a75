// Strict-mode verdicts: extraction under the labelling policy, then value comparison, within a deadline.
import type { Verdict, VerdictReason } from './types';
import { compareDetailed } from './compare';
import { extractStrict } from './extract';
import { Budget, DEFAULT_DEADLINE_MS } from './limits';

export { DEFAULT_DEADLINE_MS };

/** Strict final answer of a response; null when there is none. Never throws. */
export function strictExtract(response: string, deadlineMs = DEFAULT_DEADLINE_MS): string | null {
  try {
    return extractStrict(response, new Budget(deadlineMs)).answer;
  } catch {
    return null;
  }
}

/** Grades one response (or one extracted answer with isPred) in strict mode. Never throws. */
export function strictVerify(response: string, gold: string, opts: { isPred?: boolean; deadlineMs?: number } = {}): Verdict {
  const budget = new Budget(opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  let extracted: string | null = null;
  try {
    if (gold.trim() === '') return { correct: false, extracted: null, reason: 'empty_gold' };
    if (opts.isPred) extracted = response.trim() === '' ? null : response.trim();
    else {
      const ext = extractStrict(response, budget);
      if (ext.answer === null) return { correct: false, extracted: null, reason: ext.status === 'unclosed_box' ? 'unclosed_box' : 'no_answer' };
      extracted = ext.answer;
    }
    if (extracted === null) return { correct: false, extracted: null, reason: 'no_answer' };
    const cmp = compareDetailed(extracted, gold, budget);
    const shown = cmp.pred !== '' ? cmp.pred : extracted;
    if (cmp.result === 'equal') return { correct: true, extracted: shown, reason: 'equivalent' };
    const reason: VerdictReason = cmp.result === 'different' ? 'not_equivalent' : (cmp.why ?? 'unparseable');
    return { correct: false, extracted: shown, reason };
  } catch {
    // The deadline (LimitError) or an engine limit (stack, memory): never take the caller down.
    return { correct: false, extracted, reason: 'limit_exceeded' };
  }
}
