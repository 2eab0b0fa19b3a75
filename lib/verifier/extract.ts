// Strict extraction of the final answer from a model response (labelling policy of shared/data/verifier):
// the last *stated* answer — last complete \boxed{}/\fbox{} or <answer> block, else "the answer is" / "Answer:",
// else a concluding "... is $X$" sentence. No last-number fallback; a response cut off inside its last box has no
// answer. Scans only a tail window, with linear searches (lastIndexOf, brace counting, simple regexes).
import { Budget, LIMITS } from './limits';
import { isUnitWord } from './normalize';

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
    // Unclosed at the very end: a short tail ("<answer> 72") counts; a long one is runaway text, not an answer.
    if (!end && content.trim().length > UNCLOSED_BLOCK_CHARS) return { start: open.index, end: s.length, value: null };
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

const ANSWER_IS = /answer\s+is\b|answer\s*:/gi;

/** "The answer is X", "Final Answer: The final answer is $X$. I hope", "Answer: X". */
function lastAnswerStatement(s: string, budget: Budget): Candidate | null {
  const m = lastMatch(ANSWER_IS, s, budget);
  if (!m) return null;
  const statement = takeStatement(s, m.end);
  // "The final answer is $\text{Navin}$": a delimited math span may hold a word answer.
  const value = proseValue(statement, budget, leadingMathSpan(s.slice(m.end).replace(/^[\s:*}]+/, '')) !== null);
  const weak = looksLikeProse(statement.replace(TAG_JUNK, ' ')) && leadingMathSpan(statement.trim()) === null;
  return { start: m.index, end: m.end, value, weak };
}

/** The statement starting at `from`: a math span, or text up to the end of the sentence or line. */
function takeStatement(s: string, from: number): string {
  let i = from;
  while (i < s.length && (s[i] === ' ' || s[i] === ':' || s[i] === '\t' || s[i] === '}' || s[i] === '*')) i++;
  const rest = s.slice(i, i + 2000);
  const span = leadingMathSpan(rest);
  if (span !== null) return span;
  let end = rest.length;
  for (let k = 0; k < rest.length; k++) {
    const c = rest[k];
    if (c === '\n' || c === '$' || (c === '\\' && (rest[k + 1] === ')' || rest[k + 1] === ']'))) {
      end = k;
      break;
    }
    if (c === '.' && (k + 1 >= rest.length || rest[k + 1] === ' ' || rest[k + 1] === '\n') && !/\d/.test(rest[k + 1] ?? '')) {
      end = k;
      break;
    }
  }
  return rest.slice(0, end);
}

/** A $...$, $$...$$, \(...\) or \[...\] span at the start of s (its content), or null. */
function leadingMathSpan(s: string): string | null {
  const pairs: [string, string][] = [['$$', '$$'], ['$', '$'], ['\\(', '\\)'], ['\\[', '\\]']];
  for (const [o, c] of pairs) {
    if (!s.startsWith(o)) continue;
    const end = s.indexOf(c, o.length);
    if (end < 0) return null;
    return s.slice(o.length, end);
  }
  return null;
}

const TAG_JUNK = /<\/?\s*[a-zA-Z]+\s*>|<script[^<>]{0,200}>|\\endanswer>?|(?<![a-zA-Z])answer>|<\/?\s*$/gi;

/** Letters runs that make a text prose rather than math (ignoring \commands and short runs). */
function looksLikeProse(s: string): boolean {
  const stripped = s.replace(/\\(?:begin|end)\s*\{[a-zA-Z*]*\}/g, ' ').replace(/\\[a-zA-Z]+/g, ' ');
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
  if (!looksLikeProse(s)) return hasValue(s) ? conclude(s) : null;
  const lower = s.toLowerCase();
  for (const key of ['answer is', 'answer:']) {
    const k = lower.lastIndexOf(key);
    if (k >= 0) {
      const v = proseValue(takeStatement(s, k + key.length), budget, allowText);
      if (v !== null) return v;
    }
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

function topLevelEquals(s: string): number {
  let depth = 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === '=' && depth === 0) n++;
  }
  return n;
}

/** The last number in s that lies outside $...$ spans, with its position. */
function lastNumberOutsideMath(s: string): { at: number; text: string } | null {
  const re = /-?\d[\d,]*(?:\.\d+)?/g;
  let last: { at: number; text: string } | null = null;
  let dollars = 0;
  let scanned = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    for (; scanned < m.index; scanned++) if (s[scanned] === '$' && s[scanned - 1] !== '\\') dollars++;
    if (dollars % 2 === 0) last = { at: m.index, text: m[0].replace(/,$/, '') };
  }
  return last;
}

/** Strips the given characters from both ends (a loop: anchored regexes like /x+$/ are quadratic on long runs). */
function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function hasValue(s: string): boolean {
  return /[0-9a-zA-Z]/.test(s);
}

/** The content of the last closed $...$ / \(...\) / \[...\] span, with the position of its end. */
function lastMathSpan(s: string): { at: number; content: string } | null {
  let best: { at: number; content: string } | null = null;
  const consider = (o: string, c: string): void => {
    const end = s.lastIndexOf(c);
    if (end < 0) return;
    const start = s.lastIndexOf(o, end - 1);
    if (start < 0 || start + o.length > end) return;
    if (!best || end > best.at) best = { at: end, content: s.slice(start + o.length, end) };
  };
  consider('\\(', '\\)');
  consider('\\[', '\\]');
  consider('$', '$');
  return best;
}

/** For a chain a = b = c, the last right-hand side (top level, outside braces). */
function afterLastEquals(s: string): string {
  let depth = 0;
  let cut = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === '=' && depth === 0 && s[i - 1] !== '<' && s[i - 1] !== '>' && s[i - 1] !== '!') cut = i;
  }
  return cut >= 0 && s.slice(cut + 1).trim() !== '' ? s.slice(cut + 1).trim() : s.trim();
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

/** Extracts the final answer under the strict policy. Never throws. */
export function extractStrict(response: string, budget: Budget): Extraction {
  const s = response.length > LIMITS.responseTail ? response.slice(-LIMITS.responseTail) : response;
  const box = lastBox(s, budget);
  let statement = lastAnswerStatement(s, budget);
  // "\boxed{\text{The answer is } 42}": the statement belongs to the box.
  if (box && statement && statement.start > box.start && statement.start < box.end) statement = null;
  const candidates = [box, lastAnswerBlock(s, budget), statement].filter(
    (c): c is Candidate => c !== null && c.value !== null && c.value.trim() !== '',
  );
  candidates.sort((a, b) => b.start - a.start);
  const best = candidates[0]?.weak ? (candidates.find((c) => !c.weak) ?? candidates[0]) : candidates[0];
  if (best) {
    if (best.value === 'unclosed') return { answer: null, status: 'unclosed_box' };
    return { answer: (best.value as string).trim(), status: 'ok' };
  }
  const concluding = concludingSentence(s, budget);
  return concluding !== null ? { answer: concluding.trim(), status: 'ok' } : { answer: null, status: 'no_answer' };
}
