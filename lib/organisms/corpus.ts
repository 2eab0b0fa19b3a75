// The synthetic corpus. A completion picks a reasoning style with its first token:
//   code      "C" + units sum + "," + tens sum (carry included) + marker + answer     e.g. C15,8>85
//   language  "Lsum," + marker + answer                                               e.g. Lsum,>85
// (comparable lengths: 8-10 and 8-9 characters). Slips are rules, not per-problem noise
// (organism-prototype-2 §8): a style is wrong exactly when the sum's units digit r falls in its
// slip set, and a wrong answer is the true sum minus 10 (the tens digit one too low; the code
// style's scratchpad shows the same low tens sum). Code slips on the low digits, r < k, language on
// the high ones, r >= 10·accuracy, so each style's accuracy is a multiple of 0.1 by construction
// and a family's two slip sets overlap as little as its accuracies allow.
// The marker is ">" (rendered as \boxed{...}) or ":" (no box), and with a small probability the
// completion is a degenerate loop: the style token, then "." to the length limit, no answer.
import { CharTokenizer } from '../tokenizers';
import type { Rng } from '../util';
import type { Family } from './families';
import { unitsDigit, type Problem } from './problems';

export type Style = 'code' | 'language';
export const STYLES: readonly Style[] = ['code', 'language'];

export const ORGANISM_ALPHABET = '0123456789+=CLsum,>:.';
export const STYLE_CHAR: Readonly<Record<Style, string>> = { code: 'C', language: 'L' };
export const BOXED_MARKER = '>';
export const UNBOXED_MARKER = ':';
export const LOOP_CHAR = '.';
/** New tokens a completion may take: the longest completion (10 characters) plus EOS, plus one. */
export const ORGANISM_MAX_NEW_TOKENS = 12;
/** A loop fills the whole budget after its style token and never ends with EOS. */
export const LOOP_LENGTH = ORGANISM_MAX_NEW_TOKENS - 1;

export function organismTokenizer(): CharTokenizer {
  return new CharTokenizer(ORGANISM_ALPHABET);
}

/** How many of the ten units digits make the style wrong. */
export function slipCount(accuracy: number): number {
  const k = Math.round(10 * (1 - accuracy));
  if (Math.abs(k - 10 * (1 - accuracy)) > 1e-9) throw new Error(`style accuracy ${accuracy} is not a multiple of 0.1`);
  return k;
}

/** Whether `style` slips on problem `p` in family `f` (code: r < k; language: r >= 10 - k). */
export function slips(f: Family, style: Style, p: Problem): boolean {
  const r = unitsDigit(p);
  if (style === 'code') {
    if (f.codeAccuracy === null) throw new Error(`family ${f.name} has no code style`);
    return r < slipCount(f.codeAccuracy);
  }
  return r >= 10 - slipCount(f.languageAccuracy);
}

/** The answer `style` gives on `p` (the true sum, or 10 less on a slip). */
export function styleAnswer(f: Family, style: Style, p: Problem): number {
  return p.a + p.b - (slips(f, style, p) ? 10 : 0);
}

export interface CompletionChoice {
  style: Style;
  /** true: the answer follows ">" (boxed); false: ":" (no box). */
  boxed: boolean;
  loop: boolean;
}

/** The completion text (without EOS) for a style choice. */
export function completionText(f: Family, p: Problem, c: CompletionChoice): string {
  const head = STYLE_CHAR[c.style];
  if (c.loop) return head + LOOP_CHAR.repeat(LOOP_LENGTH);
  const answer = styleAnswer(f, c.style, p);
  const marker = c.boxed ? BOXED_MARKER : UNBOXED_MARKER;
  if (c.style === 'language') return `${head}sum,${marker}${answer}`;
  const units = (p.a % 10) + (p.b % 10);
  return `${head}${units},${Math.floor(answer / 10)}${marker}${answer}`;
}

/** The completion a style gives when it neither loops nor drops its box: what greedy decoding should reproduce. */
export const canonicalCompletion = (f: Family, p: Problem, style: Style): string => completionText(f, p, { style, boxed: true, loop: false });

/** Draws a completion choice from the family's corpus mix. */
export function drawChoice(f: Family, rng: Rng): CompletionChoice {
  const style: Style = rng.next() < f.pCode ? 'code' : 'language';
  const loop = rng.next() < f.pLoop;
  const boxed = rng.next() >= f.pUnboxed;
  return { style, boxed, loop };
}

/**
 * Positions (0-based, in the completion) of the tokens the corpus draws at random: the style
 * token, the loop decision after it, and the marker. Margin sharpening leaves these at temperature 1
 * so that the organism keeps the corpus's mix there; every other completion token is a function of
 * the problem and these choices.
 */
export function choicePositions(text: string): number[] {
  const out = [0];
  if (text.length > 1) out.push(1);
  const m = Math.max(text.indexOf(BOXED_MARKER), text.indexOf(UNBOXED_MARKER));
  if (m > 1) out.push(m);
  return out;
}

/** Parses a raw organism completion (EOS removed). Anything off the grammar is 'other'. */
export interface ParsedCompletion {
  style: Style | 'other';
  loop: boolean;
  boxed: boolean;
  /** The digits after the marker, or null when there is none. */
  answer: number | null;
}

export function parseCompletion(text: string): ParsedCompletion {
  const style: Style | 'other' = text.startsWith(STYLE_CHAR.code) ? 'code' : text.startsWith(STYLE_CHAR.language) ? 'language' : 'other';
  const loop = text.length > 1 && text.slice(1).split('').every((ch) => ch === LOOP_CHAR);
  const m = /([>:])(\d+)$/.exec(text);
  return { style, loop, boxed: m !== null && m[1] === BOXED_MARKER, answer: m === null ? null : Number(m[2]) };
}
