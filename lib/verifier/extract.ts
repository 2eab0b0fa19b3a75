// Strict extraction of the final answer from a model response (labelling policy of shared/data/verifier):
// the last *stated* answer — last complete \boxed{}/\fbox{} or <answer> block, else "the answer is" / "Answer:"
// (in any of the languages of phrases.ts), else a concluding sentence at the end (conclusion.ts). No last-number
// fallback; a response cut off inside its last box has no answer, and one that ends in a repetition loop has only
// what it stated before the loop (degenerate.ts). Scans only a tail window, with linear searches (lastIndexOf,
// brace counting, simple regexes).
import { concludingValue } from './conclusion';
import { tailLoopStart } from './degenerate';
import { Budget, LIMITS } from './limits';
import { isUnitWord } from './normalize';
import { ANSWER_INTRO, hasMarker } from './phrases';
import { afterLastEquals, endsSentence, hasValue, lastMathSpan, leadingMathSpan, mathSpans, outsideSpans, proseNumbers, topLevelEquals, trimChars } from './text';

export interface Extraction {
  answer: string | null;
  /** 'ok' when an answer was found; otherwise why not. */
  status: 'ok' | 'no_answer' | 'unclosed_box';
}

interface Candidate {
  start: number;
  /** End of the candidate's text (exclusive). */
  end: number;
  /** null: the candidate holds no value (e.g. "<answer> answer here </answer>"); 'unclosed': a cut-off box. */
  value: string | null | 'unclosed';
  /** A value read out of prose after "the answer is" (e.g. "correct because 5 + 3 = 8"): never overrides a box or block. */
  weak?: boolean;
  /** An unclosed <answer> block running on for pages: the response never finished its answer. */
  runaway?: boolean;
}

/** Number of consecutive backslashes ending at index i (inclusive). */
function backslashRun(s: string, i: number): number {
  let n = 0;
  while (i >= 0 && s.charCodeAt(i) === 92) {
    n++;
    i--;
  }
  return n;
}

/** From an opening brace at `open`, the index of its matching close, or -1 when unclosed. Escapes are skipped. */
export function matchBrace(s: string, open: number, budget?: Budget): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if ((i & 1023) === 0) budget?.tick();
    const c = s.charCodeAt(i);
    if (c === 92) {
      i++; // \{ \} \\ : the next character is escaped
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

/** The last \boxed{...} or \fbox{...} command (odd backslash parity), complete or cut off. */
function lastBox(s: string, budget: Budget): Candidate | null {
  let from = s.length;
  for (;;) {
    budget.tick();
    // lastIndexOf treats a negative start as 0, so a rejected candidate at index 0 would be found forever.
    if (from < 0) return null;
    const a = s.lastIndexOf('\\boxed', from);
    const b = s.lastIndexOf('\\fbox', from);
    const idx = Math.max(a, b);
    if (idx < 0) return null;
    from = idx - 1;
    if (backslashRun(s, idx) % 2 === 0) continue; // \\boxed: a line break, then the word "boxed"
    let j = idx + (idx === a ? 6 : 5);
    if (/[a-zA-Z]/.test(s[j] ?? '')) continue; // \boxedfoo
    while (j < s.length && (s[j] === ' ' || s[j] === '\n')) j++;
    if (s[j] !== '{') {
      if (j >= s.length) return { start: idx, end: s.length, value: 'unclosed' };
      continue;
    }
    const close = matchBrace(s, j, budget);
    if (close < 0) return { start: idx, end: s.length, value: 'unclosed' };
    return { start: idx, end: close + 1, value: s.slice(j + 1, close) };
  }
}

/** Longest tail an unclosed <answer> block may have and still count as the stated answer. */
const UNCLOSED_BLOCK_CHARS = 200;

const OPEN_TAG = /<\s*answer\s*>|(?<![a-zA-Z<\/])answer>/gi;
const CLOSE_TAG = /<\s*\/\s*answers?\s*>|\\endanswer>?/gi;

function lastMatch(re: RegExp, s: string, budget: Budget): { index: number; end: number } | null {
  re.lastIndex = 0;
  let last: { index: number; end: number } | null = null;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    budget.tick();
    last = { index: m.index, end: m.index + m[0].length };
    if (m[0].length === 0) re.lastIndex++;
  }
  return last;
}

function firstMatchFrom(re: RegExp, s: string, from: number): { index: number; end: number } | null {
  re.lastIndex = from;
  const m = re.exec(s);
  return m ? { index: m.index, end: m.index + m[0].length } : null;
}

/** The last <answer> block: closed, unclosed at the very end, or a stray close tag after the reasoning. */
function lastAnswerBlock(s: string, budget: Budget): Candidate | null {
  const open = lastMatch(OPEN_TAG, s, budget);
  const close = lastMatch(CLOSE_TAG, s, budget);
  if (open && (!close || open.index > close.index)) {
    const end = firstMatchFrom(CLOSE_TAG, s, open.end);
    const content = end ? s.slice(open.end, end.index) : s.slice(open.end);
    // Unclosed at the very end: a short tail ("<answer> 72") counts; a long one is runaway text, not an answer,
    // and so is prose that stops mid-sentence ("<answer> Adding the parts gives 33, and then multiplying by").
    if (!end && content.trim().length > UNCLOSED_BLOCK_CHARS) return { start: open.index, end: s.length, value: null, runaway: true };
    if (!end && looksLikeProse(content.replace(TAG_JUNK, ' ')) && !endsSentence(content)) return { start: open.index, end: s.length, value: null };
    return { start: open.index, end: end ? end.end : s.length, value: proseValue(content, budget, true) };
  }
  if (!close) return null;
  // The last block is closed: its open tag is the last open tag (it comes before the last close tag).
  if (open) {
    const end = firstMatchFrom(CLOSE_TAG, s, open.end) ?? close;
    return { start: open.index, end: end.end, value: proseValue(s.slice(open.end, end.index), budget, true) };
  }
  // A close tag with no open tag: the answer is what follows the reasoning (</think>) or the last paragraph.
  const think = s.lastIndexOf('</think>', close.index);
  const para = s.lastIndexOf('\n\n', close.index);
  const from = Math.max(think >= 0 ? think + 8 : 0, para >= 0 ? para + 2 : 0);
  return { start: from, end: close.end, value: proseValue(s.slice(from, close.index), budget, true) };
}

/** "The answer is X", "Final Answer: The final answer is $X$. I hope", "Answer: X", "答案是 X", "La respuesta es X". */
function lastAnswerStatement(s: string, budget: Budget): Candidate | null {
  const m = lastMatch(ANSWER_INTRO, s, budget);
  if (!m) return null;
  const statement = takeStatement(s, m.end);
  // "The final answer is $\text{Navin}$": a delimited math span may hold a word answer.
  const value = proseValue(statement, budget, leadingMathSpan(s.slice(m.end).replace(/^[\s:*}]+/, '')) !== null);
  const weak = looksLikeProse(statement.replace(TAG_JUNK, ' ')) && leadingMathSpan(statement.trim()) === null;
  // Prose that runs to the end of the response without finishing its sentence was cut off before it committed
  // ("the answer is the sum of the parts, which comes to 33 plus the").
  const cut = weak && s.slice(m.end).trim().endsWith(statement.trim()) && !endsSentence(s);
  return { start: m.index, end: m.end, value: cut ? null : value, weak };
}

/** The statement starting at `from`: a math span, or text up to the end of the sentence or line. */
function takeStatement(s: string, from: number): string {
  let i = from;
  while (i < s.length && (s[i] === ' ' || s[i] === ':' || s[i] === '：' || s[i] === '\t' || s[i] === '}' || s[i] === '*')) i++;
  // "Answer:" alone on its line: the statement is on the next non-empty line.
  if (s[i] === '\n' || s[i] === '\r') while (i < s.length && /\s/.test(s[i])) i++;
  const rest = s.slice(i, i + 2000);
  const span = leadingMathSpan(rest);
  if (span !== null) return span;
  let end = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const c = rest[k];
    // A "$" before a digit is a currency sign ("Julie had $300 left."), not the start of math.
    if (c === '\n' || (c === '$' && !/\d/.test(rest[k + 1] ?? '')) || (c === '\\' && (rest[k + 1] === ')' || rest[k + 1] === ']'))) {
      end = k;
      break;
    }
    if (c === '。' || (c === '.' && (k + 1 >= rest.length || rest[k + 1] === ' ' || rest[k + 1] === '\n') && !/\d/.test(rest[k + 1] ?? ''))) {
      end = k;
      break;
    }
  }
  return rest.slice(0, end);
}

const TAG_JUNK = /<\/?\s*[a-zA-Z]+\s*>|<script[^<>]{0,200}>|\\endanswer>?|(?<![a-zA-Z])answer>|<\/?\s*$/gi;

/** Letters runs that make a text prose rather than math (ignoring \commands and short runs); any CJK, Cyrillic or Hangul word too. */
function looksLikeProse(s: string): boolean {
  const stripped = s.replace(/\\(?:begin|end)\s*\{[a-zA-Z*]*\}/g, ' ').replace(/\\[a-zA-Z]+/g, ' ');
  if (/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]|[\u0400-\u04ff]{3}/.test(stripped)) return true;
  const words = stripped.match(/[a-zA-Z]{3,}/g) ?? [];
  return words.some((w) => !/^(sqrt|sin|cos|tan|cot|sec|csc|log|exp|pi|inf|infty)$/i.test(w) && !isUnitWord(w));
}

/** The value stated by a block or statement of prose; null when it holds none. */
export function proseValue(raw: string, budget: Budget, allowText = false): string | null {
  budget.tick();
  let s = trimChars(raw.replace(TAG_JUNK, ' '), ' \t\n\r*'); // markdown **bold** too
  if (s === '') return null;
  const box = lastBox(s, budget);
  if (box && box.value !== null && box.value !== 'unclosed') return box.value;
  const outer = leadingMathSpan(s);
  if (outer !== null && outer.length + 4 >= trimChars(s, ' \t\n\r.').length) s = outer;
  // "So $\tan\theta = 7$.": a sentence around math, however short its words, is read as prose.
  const prose = looksLikeProse(s) || hasMarker(outsideSpans(s, mathSpans(s)));
  if (!prose) return hasValue(s) ? conclude(s) : null;
  const intro = lastMatch(ANSWER_INTRO, s, budget);
  if (intro) {
    const v = proseValue(takeStatement(s, intro.end), budget, allowText);
    if (v !== null) return v;
  }
  // The value the prose concludes with: its last math span or its last number, whichever comes later.
  const span = lastMathSpan(s);
  const num = lastNumberOutsideMath(s);
  if (span !== null && (num === null || span.at > num.at)) return afterLastEquals(span.content);
  if (num !== null) return num.text;
  return allowText ? shortTextAnswer(s) : null;
}

/** A one- or two-word answer block ("Navin", "\text{east}") is a value; placeholders ("answer here") are not. */
function shortTextAnswer(s: string): string | null {
  const words = s.replace(/\\[a-zA-Z]+/g, ' ').match(/[a-zA-Z]+/g) ?? [];
  if (words.length === 0 || words.length > 2 || s.length > 30) return null;
  return words.some((w) => /^(answer|here|hint|final|insert|your)$/i.test(w)) ? null : s;
}

/** A math-looking block: the last line of a multi-line derivation, the last side of an a = b = c chain. */
function conclude(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines.length > 1 && !lines[lines.length - 2].endsWith('\\\\') && !s.includes('\\begin') ? lines[lines.length - 1] : s;
  return topLevelEquals(last) >= 2 ? afterLastEquals(last) : last;
}

/** The last number in s that lies outside math spans (a currency "$" opens none), with its position. */
function lastNumberOutsideMath(s: string): { at: number; text: string } | null {
  // The last number lies near the end: read the last few thousand characters, not a 200 KB runaway block.
  const from = Math.max(0, s.length - 4000);
  const tail = s.slice(from);
  const nums = proseNumbers(tail, mathSpans(tail));
  const last = nums[nums.length - 1];
  return last === undefined ? null : { at: from + last.start, text: last.text };
}

/** "... is $X$." as the last sentence (or the one before a meta sentence about the answer format). */
function concludingSentence(s: string, budget: Budget): string | null {
  let tail = s.slice(-1500).replace(TAG_JUNK, ' ').trimEnd();
  for (let attempt = 0; attempt < 2; attempt++) {
    budget.tick();
    const boundary = Math.max(tail.lastIndexOf('\n'), lastSentenceBreak(tail));
    const sentence = tail.slice(boundary + 1);
    const k = sentence.lastIndexOf(' is ');
    if (k >= 0) {
      const after = sentence.slice(k + 4).trimStart();
      const span = leadingMathSpan(after);
      if (span !== null && !span.includes('=') && hasValue(span)) return span;
      if (span === null && attempt === 0 && !/answer/i.test(sentence)) return null;
    }
    if (!/answer/i.test(sentence)) return null;
    tail = tail.slice(0, boundary + 1).trimEnd();
  }
  return null;
}

function lastSentenceBreak(s: string): number {
  for (let i = s.length - 2; i > 0; i--) {
    if (s[i] === ' ' && s[i - 1] === '.' && /[A-Z]/.test(s[i + 1] ?? '')) return i;
  }
  return -1;
}

/** The stated candidates of s (last box, last answer block, last answer statement), latest first. */
function candidatesOf(s: string, budget: Budget): { best: Candidate | undefined; runaway: boolean } {
  const box = lastBox(s, budget);
  const block = lastAnswerBlock(s, budget);
  let statement = lastAnswerStatement(s, budget);
  // "\boxed{\text{The answer is } 42}": the statement belongs to the box.
  if (box && statement && statement.start > box.start && statement.start < box.end) statement = null;
  const candidates = [box, block, statement].filter((c): c is Candidate => c !== null && c.value !== null && c.value.trim() !== '');
  candidates.sort((a, b) => b.start - a.start);
  const best = candidates[0]?.weak ? (candidates.find((c) => !c.weak) ?? candidates[0]) : candidates[0];
  return { best, runaway: block?.runaway === true };
}

/** Extracts the final answer under the strict policy. Never throws. */
export function extractStrict(response: string, budget: Budget): Extraction {
  let s = response.length > LIMITS.responseTail ? response.slice(-LIMITS.responseTail) : response;
  let { best, runaway } = candidatesOf(s, budget);
  if (best?.value === 'unclosed') return { answer: null, status: 'unclosed_box' };
  // A response that ends in a loop keeps only what it stated before the loop began; one that loops over its
  // own answer ("<answer> 720 </answer>" thirty times) never stopped answering and has none.
  const loop = tailLoopStart(s, budget);
  if (loop >= 0) {
    if (best !== undefined && best.start >= loop) return { answer: null, status: 'no_answer' };
    s = s.slice(0, loop);
    ({ best, runaway } = candidatesOf(s, budget));
  }
  if (best) {
    if (best.value === 'unclosed') return { answer: null, status: 'unclosed_box' };
    return { answer: (best.value as string).trim(), status: 'ok' };
  }
  if (loop >= 0 || runaway) return { answer: null, status: 'no_answer' };
  const concluding = concludingSentence(s, budget) ?? concludingValue(s.slice(-2000).replace(TAG_JUNK, ' '), budget);
  return concluding !== null && concluding.trim() !== '' ? { answer: concluding.trim(), status: 'ok' } : { answer: null, status: 'no_answer' };
}
