// Number words -> digits, as the `word2number` package (w2n.word_to_num, v1.1) does it inside Qwen's
// strip_string. Its quirks are kept: it looks only at the whitespace-separated words that are number
// words and ignores every other word ("x plus one" -> 1), a lone "point" gives 0, and any failure leaves
// the text unchanged (strip_string catches the exception).

import { pyFloatRepr, pyIntFromDigits, pySplitWhitespace } from './py';

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['zero', 0], ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7],
  ['eight', 8], ['nine', 9], ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14],
  ['fifteen', 15], ['sixteen', 16], ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20],
  ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90],
  ['hundred', 100], ['thousand', 1000], ['million', 1000000], ['billion', 1000000000],
]);
const DECIMAL_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

class NotANumber extends Error {}

/** w2n's number_formation: how a group of up to four words combines. */
function formation(words: string[]): number {
  const n = words.map((w) => {
    const v = NUMBER_WORDS.get(w);
    if (v === undefined) throw new NotANumber(w); // 'point' here is a TypeError in Python
    return v;
  });
  if (n.length === 0) throw new NotANumber('empty group'); // IndexError in Python
  if (n.length === 4) return n[0] * n[1] + n[2] + n[3];
  if (n.length === 3) return n[0] * n[1] + n[2];
  if (n.length === 2) return n.includes(100) ? n[0] * n[1] : n[0] + n[1];
  return n[0];
}

/** The value w2n.word_to_num returns, printed the way Python's str() prints it; throws where w2n raises. */
function wordToNum(text: string): string {
  const sentence = text.replace(/-/g, ' ').toLowerCase();
  if (/^[\p{Nd}\p{No}]+$/u.test(sentence)) {
    const digits = pyIntFromDigits(sentence); // isdigit() is true; int() may still fail (superscripts, > 4300 digits)
    if (digits === null) throw new NotANumber(sentence);
    return digits;
  }
  let clean = pySplitWhitespace(sentence).filter((w) => NUMBER_WORDS.has(w) || w === 'point');
  if (clean.length === 0) throw new NotANumber('no number words');
  const count = (w: string) => clean.filter((x) => x === w).length;
  if (count('thousand') > 1 || count('million') > 1 || count('billion') > 1 || count('point') > 1) {
    throw new NotANumber('redundant');
  }
  let decimals: string[] = [];
  if (count('point') === 1) {
    const p = clean.indexOf('point');
    decimals = clean.slice(p + 1);
    clean = clean.slice(0, p);
  }
  const bi = clean.indexOf('billion');
  const mi = clean.indexOf('million');
  const th = clean.indexOf('thousand');
  if ((th > -1 && (th < mi || th < bi)) || (mi > -1 && mi < bi)) throw new NotANumber('malformed');

  let total = 0;
  if (clean.length === 1) {
    total += NUMBER_WORDS.get(clean[0]) ?? 0;
  } else if (clean.length > 1) {
    if (bi > -1) total += formation(clean.slice(0, bi)) * 1e9;
    if (mi > -1) total += formation(clean.slice(bi > -1 ? bi + 1 : 0, mi)) * 1e6;
    if (th > -1) {
      const from = mi > -1 ? mi + 1 : bi > -1 ? bi + 1 : 0;
      total += formation(clean.slice(from, th)) * 1000;
    }
    let hundreds = 0;
    if (th > -1 && th !== clean.length - 1) hundreds = formation(clean.slice(th + 1));
    else if (mi > -1 && mi !== clean.length - 1) hundreds = formation(clean.slice(mi + 1));
    else if (bi > -1 && bi !== clean.length - 1) hundreds = formation(clean.slice(bi + 1));
    else if (th === -1 && mi === -1 && bi === -1) hundreds = formation(clean);
    total += hundreds;
  }
  if (decimals.length > 0) {
    // get_decimal_sum: 0 unless every word is a digit word; the sum is then a Python float.
    if (!decimals.every((w) => DECIMAL_WORDS.includes(w))) return String(total); // int 0 added: stays an int
    return pyFloatRepr(total + Number(`0.${decimals.map((w) => DECIMAL_WORDS.indexOf(w)).join('')}`));
  }
  return String(total);
}

/** strip_string's convert_word_number: the number the words spell, else the text unchanged. */
export function convertWordNumber(text: string): string {
  try {
    return wordToNum(text);
  } catch (e) {
    if (e instanceof NotANumber) return text;
    throw e;
  }
}
