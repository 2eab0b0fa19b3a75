// Small text helpers shared by the extraction rules: math spans ($...$, \(...\), \[...\], $$...$$), equation
// sides, trimming. Every function is one linear pass.

/** A $...$, $$...$$, \(...\) or \[...\] span at the start of s (its content), or null. */
export function leadingMathSpan(s: string): string | null {
  const pairs: [string, string][] = [['$$', '$$'], ['$', '$'], ['\\(', '\\)'], ['\\[', '\\]']];
  for (const [o, c] of pairs) {
    if (!s.startsWith(o)) continue;
    const end = s.indexOf(c, o.length);
    if (end < 0) return null;
    return s.slice(o.length, end);
  }
  return null;
}

/** The content of the last closed $...$ / \(...\) / \[...\] span, with the position of its end. */
export function lastMathSpan(s: string): { at: number; content: string } | null {
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

/** A math span found by mathSpans: [start, end) covers the delimiters; content is what lies between them. */
export interface MathSpan {
  start: number;
  end: number;
  content: string;
}

const CLOSER: Record<string, string> = { '$$': '$$', $: '$', '\\(': '\\)', '\\[': '\\]' };

/**
 * The closed math spans of s, left to right. A "$" before a digit whose would-be span holds a word is a
 * currency sign ("she has $300 left."), not a delimiter.
 */
export function mathSpans(s: string): MathSpan[] {
  const out: MathSpan[] = [];
  // A closer missing after position i is missing after every later position too: remember it, so that
  // 50,000 unclosed "\(" cost one scan, not 50,000.
  const missing = new Set<string>();
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    let open: string | null = null;
    if (c === '$') open = s[i + 1] === '$' ? '$$' : '$';
    else if (c === '\\' && (s[i + 1] === '(' || s[i + 1] === '[')) open = s.slice(i, i + 2);
    else if (c === '\\') {
      i += 2; // \$ and other escapes are literal characters
      continue;
    }
    if (open === null) {
      i++;
      continue;
    }
    const close = missing.has(open) ? -1 : s.indexOf(CLOSER[open], i + open.length);
    if (close < 0) missing.add(open);
    const content = close < 0 ? '' : s.slice(i + open.length, close);
    if (close < 0 || (open === '$' && /^\d/.test(content) && /[a-zA-Z]{3,}/.test(content.replace(/\\[a-zA-Z]+/g, '')))) {
      i += open.length; // unclosed, or a currency sign
      continue;
    }
    out.push({ start: i, end: close + CLOSER[open].length, content });
    i = close + CLOSER[open].length;
  }
  return out;
}

// A number written in prose: 12, -3, 1,250, 3.5, 1/8, 36π, 2√3, π, √2; or bare LaTeX \frac{a}{b}, \sqrt{n}, 3\pi.
const PROSE_NUMBER =
  /-?\d[\d,]*(?:\.\d+)?(?:\s*\/\s*\d+)?(?:\s*(?:π|√\s*\d+|\\pi\b|\\sqrt\{\d+\}))?|π|√\s*\d+|\\d?frac\{[^{}]{1,20}\}\{[^{}]{1,20}\}|\\sqrt\{[^{}]{1,20}\}|\\pi\b/g;

/**
 * The numbers of s written in prose, outside the given math spans (mathSpans(s)), left to right, as answer
 * strings: √n becomes \sqrt{n} (√13 is one radicand), a trailing comma goes.
 */
export function proseNumbers(s: string, spans: readonly MathSpan[]): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  const re = new RegExp(PROSE_NUMBER.source, 'g');
  let k = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    while (k < spans.length && spans[k].end <= m.index) k++;
    if (k < spans.length && spans[k].start <= m.index) continue;
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0].replace(/√\s*(\d+)/g, '\\sqrt{$1}').replace(/,$/, '') });
  }
  return out;
}

/** s with the given math spans (mathSpans(s)) blanked out: the words around the math. */
export function outsideSpans(s: string, spans: readonly MathSpan[]): string {
  let out = '';
  let at = 0;
  for (const sp of spans) {
    out += s.slice(at, sp.start) + ' ';
    at = sp.end;
  }
  return out + s.slice(at);
}

/** Number of "=" signs outside braces and brackets. */
export function topLevelEquals(s: string): number {
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

/** For a chain a = b = c, the last right-hand side (top level, outside braces). */
export function afterLastEquals(s: string): string {
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

/** Strips the given characters from both ends (a loop: anchored regexes like /x+$/ are quadratic on long runs). */
export function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

export function hasValue(s: string): boolean {
  return /[0-9a-zA-Z]/.test(s);
}

/** Sentence-ending punctuation, Western and CJK. */
export const TERMINATORS = '.!。！';

/** Whether s (trailing whitespace aside) ends with sentence-ending punctuation. */
export function endsSentence(s: string): boolean {
  const t = s.trimEnd();
  return t !== '' && TERMINATORS.includes(t[t.length - 1]);
}
