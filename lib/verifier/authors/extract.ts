// Qwen2.5-Math's `extract_answer(text, "math")` as the authors' reward calls it, the box-only variant used
// by the `box_only_format` reward, and the multiple-choice cleaner used when the label is A/B/C/D.

import { afterLast, lstripChars, pyStrip, rstripChars } from './py';
import { stripString } from './strip-string';

/** R1-style prompting: the text after the last `<answer>`, minus trailing characters of the *set* `</answer>`. */
function r1Slice(text: string): string {
  return rstripChars(afterLast(text, '<answer>'), '</answer>');
}

function prepare(text: string, r1Style: boolean): string {
  const s = text.replaceAll('\u043a\u0438', ''); // the "ки" step tag of Math-Shepherd style data
  return r1Style ? r1Slice(s) : s;
}

/** The content after the last "boxed": brace-matched when it opens with `{` (unbalanced runs to the end), else up to the first `$`. */
function lastBoxed(s: string): string {
  const ans = afterLast(s, 'boxed');
  if (ans.length === 0) return '';
  if (ans[0] !== '{') return pyStrip(ans.split('$')[0]);
  let depth = 1;
  for (let i = 1; i < ans.length; i++) {
    const c = ans[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return ans.slice(1, i);
    }
  }
  return ans.slice(1);
}

/** The last number in the text (commas removed first), Python's `-?\d*\.?\d+`. */
function lastNumber(s: string): string {
  let last = '';
  for (const m of s.replaceAll(',', '').matchAll(/-?\p{Nd}*\.?\p{Nd}+/gu)) last = m[0];
  return last;
}

/** Python `s.split(sep, 1)[1]` (text after the first occurrence). */
function afterFirst(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i < 0 ? s : s.slice(i + sep.length);
}

function candidate(s: string): string {
  if (s.includes('final answer is $') && s.includes('$. I hope')) {
    // Minerva format
    const tmp = afterFirst(s, 'final answer is $');
    const end = tmp.indexOf('$. I hope');
    return pyStrip(end < 0 ? tmp : tmp.slice(0, end));
  }
  if (s.includes('boxed')) return lastBoxed(s);
  if (s.includes('he answer is')) return pyStrip(afterLast(s, 'he answer is'));
  if (s.includes('final answer is')) return pyStrip(afterLast(s, 'final answer is'));
  if (s.includes('\u7b54\u6848\u662f')) {
    // "答案是": the first occurrence, up to the first blank line
    return pyStrip(pyStrip(afterFirst(s, '\u7b54\u6848\u662f')).split('\n\n')[0]);
  }
  return lastNumber(s);
}

/** The clean-up before strip_string: newline runs, a leading ":" and a trailing "." or "/". */
function cleanUp(pred: string): string {
  let p = pred.replace(/\n\s*/gu, '');
  if (p !== '' && p[0] === ':') p = p.slice(1);
  if (p !== '' && p[p.length - 1] === '.') p = p.slice(0, -1);
  if (p !== '' && p[p.length - 1] === '/') p = p.slice(0, -1);
  return stripString(p);
}

/** extract_answer(text, "math"): the normalised final answer, '' when there is none. */
export function authorsExtractAnswer(text: string, r1Style = false): string {
  return cleanUp(candidate(prepare(text, r1Style)));
}

/**
 * extract_answer_box_only: only the boxed branch ('' without "boxed"). In R1 mode the text after the last
 * `<answer>` (after the character-set strip) comes back as it is, with no box required.
 */
export function authorsExtractBoxOnly(text: string, r1Style = false): string {
  const s = prepare(text, r1Style);
  if (r1Style) return s;
  return s.includes('boxed') ? cleanUp(lastBoxed(s)) : '';
}

/** choice_answer_clean (the GPQA variant): the last standalone A-D letter, else the cleaned text. */
export function authorsExtractChoice(text: string, r1Style = false): string {
  let pred = prepare(text, r1Style);
  pred = pred.replace(/^\n+|\n+$/g, '');
  pred = rstripChars(rstripChars(pred, '.'), '/');
  pred = pred.replace(/^ +| +$/g, '');
  pred = lstripChars(pred, ':');
  const letters = [...pred.toUpperCase().matchAll(/(?<![\p{L}\p{N}_])(A|B|C|D)(?![\p{L}\p{N}_])/gu)].map((m) => m[1]);
  const last = letters.length > 0 ? letters[letters.length - 1] : pyStrip(pred).replace(/^\.+|\.+$/g, '');
  return rstripChars(rstripChars(last, '.'), '/');
}
