// The final answer of a response that states it in prose, without a box, an answer block or "the answer is":
// "Therefore, the area is 36π square inches.", "so the probability is 1/8", a last equation
// (\[ \log_8 2 = \frac{1}{3} \]), "所以面积为 3。". The labelling policy counts such a concluding sentence at the
// end. What it must not count: a sentence that only considers a value ("Let x = 5", "Could it be 12?"), text
// cut off mid-computation ("... gives 33, and then multiplying by"), and a number that merely comes last.
import type { Budget } from './limits';
import { hasCopula, hasMarker, isHedged } from './phrases';
import { afterLastEquals, endsSentence, mathSpans, proseNumbers, topLevelEquals, TERMINATORS, type MathSpan } from './text';

/** Longest last sentence read (a concluding sentence is short; a longer tail is a paragraph of work). */
const MAX_SENTENCE = 400;
/** At most this much text may follow the value ("square inches", "grains of rice are in a teaspoon"). */
const MAX_AFTER_VALUE = 60;

/** Arithmetic after the value: the computation goes on ("33 plus 4", "12 times the"). */
const OPERATOR_WORD = /\b(?:plus|minus|times|divided|multiplied|over|and\s+then)\b/i;
/** A last word that cannot end a sentence. */
const DANGLING = /\b(?:the|a|an|of|to|by|and|or|is|are|be|with|for|from|in|on|at|then|that|which|plus|minus|times)\s*$/i;

interface Value {
  start: number;
  end: number;
  /** The value as an answer string: a span's content, or a prose number (√n written as \sqrt{n}). */
  text: string;
  /** A math span holding an equation: its value is the last right-hand side. */
  equation: boolean;
}

/** Values of a sentence in order: its math spans, and numbers written outside them. */
function valuesOf(sentence: string): Value[] {
  const spans = mathSpans(sentence);
  const out: Value[] = spans.map((sp) => ({ start: sp.start, end: sp.end, text: sp.content.trim(), equation: topLevelEquals(sp.content) > 0 }));
  for (const n of proseNumbers(sentence, spans)) out.push({ ...n, equation: false });
  return out.sort((a, b) => a.start - b.start).filter((v) => v.text !== '');
}

/** Start of the last sentence of s: after its last line break or sentence end outside math spans. */
function lastSentenceStart(s: string, spans: MathSpan[]): number {
  let start = 0;
  let k = 0;
  for (let i = 0; i < s.length - 1; i++) {
    while (k < spans.length && spans[k].end <= i) k++;
    if (k < spans.length && spans[k].start <= i) {
      i = spans[k].end - 1;
      continue;
    }
    const c = s[i];
    const next = s[i + 1];
    const cjk = c === '。' || c === '！' || c === '？';
    if (c === '\n' || cjk || ((c === '.' || c === '!' || c === '?' || c === ';') && (next === ' ' || next === '\n'))) start = i + 1;
  }
  return start;
}

/** The value the response's final sentence commits to, or null. `text` is the response tail, tags removed. */
export function concludingValue(text: string, budget: Budget): string | null {
  budget.tick();
  const t = text.trimEnd();
  let body = t;
  while (body !== '' && (TERMINATORS.includes(body[body.length - 1]) || /\s/.test(body[body.length - 1]))) body = body.slice(0, -1);
  const spans = mathSpans(body);
  // Text that stops inside a math span ("... the graphs of \(") was cut off.
  if (/\$|\\[([]/.test(body.slice(spans.length > 0 ? spans[spans.length - 1].end : 0))) return null;
  const sentence = body.slice(lastSentenceStart(body, spans)).trim();
  if (sentence === '' || sentence.length > MAX_SENTENCE || isHedged(sentence)) return null;
  const values = valuesOf(sentence);
  const last = values[values.length - 1];
  if (last === undefined) return null;
  const after = sentence.slice(last.end);
  if (after.length > MAX_AFTER_VALUE || /[\d=<>]/.test(after) || OPERATOR_WORD.test(after)) return null;
  const before = sentence.slice(0, last.start);
  // A closed math span holding an equation, ending the response: its right-hand side is the result.
  if (last.equation && after.trim() === '') {
    const rhs = afterLastEquals(last.text);
    return /[<>]|\\[lg]eq?\b|\\ne/.test(rhs) ? null : rhs;
  }
  if (last.equation) return null;
  // Text that stops without a sentence end may be cut off: it commits only when it draws a conclusion about a
  // subject ("so the probability is 1/8"; not "so we get 12 apples"), and not when it stops on a word that needs a
  // continuation ("... comes to 33 plus the").
  if (!endsSentence(t) && (!hasMarker(sentence) || !hasCopula(before) || DANGLING.test(sentence))) return null;
  // "We get 58500 plates." only reports a number; "10 grains of rice are in a teaspoon." states the result.
  return hasCopula(before) || hasCopula(after) || hasMarker(sentence) ? last.text : null;
}
