// Grading an organism completion exactly as training grades it: the rendered text through the
// strict verifier against the true sum (so metrics and the ground-truth reward never disagree).
import { verify } from '../verifier';
import { renderCompletion } from './render';

export function isCorrect(raw: string, gold: number): boolean {
  return verify(renderCompletion(raw), String(gold)).correct;
}

/** The answer the verifier extracts from a rendered completion ("" when there is none): what majority votes count. */
export function extractedAnswer(raw: string): string {
  return verify(renderCompletion(raw), '0').extracted ?? '';
}
