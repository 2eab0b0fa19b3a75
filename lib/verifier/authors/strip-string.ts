// Qwen2.5-Math's `strip_string` (the version in the authors' qwen_math_parser.py), step for step.
// Python regexes are translated with the `u` flag so that \w, \W and \d stay Unicode-aware, and `.`
// becomes [^\n] (JS `.` also refuses \r and the Unicode line separators).

import { fixFracs, fixSlash, fixSqrtQwen } from './frac-fixes';
import { PY_NONWORD, pyStrip, rstripChars } from './py';
import { convertWordNumber } from './word-number';

/**
 * The "units" list (mostly from MathQA) that strip_string deletes as whole words, in the original order,
 * then each with an "s" appended. Entries are regex sources: the "." in "a ." or "rs ." matches any
 * character, and single letters (a, c, d, g, h, l, m, o, s, t) delete variables - known quirks.
 */
const UNIT_TEXTS_BASE = [
  'east', 'degree', 'mph', 'kmph', 'ft', 'm sqaure', ' m east', 'sq m', 'deg', 'mile', 'q .', 'monkey', 'prime',
  'ratio', 'profit of rs', 'rd', 'o', 'gm', 'p . m', 'lb', 'tile', 'per', 'dm', 'lt', 'gain', 'ab', 'way', 'west',
  'a .', 'b .', 'c .', 'd .', 'e .', 'f .', 'g .', 'h .', 't', 'a', 'h', 'no change', 'men', 'soldier', 'pie', 'bc',
  'excess', 'st', 'inches', 'noon', 'percent', 'by', 'gal', 'kmh', 'c', 'acre', 'rise', 'a . m', 'th', 'π r 2', 'sq',
  'mark', 'l', 'toy', 'coin', 'sq . m', 'gallon', '° f', 'profit', 'minw', 'yr', 'women', 'feet', 'am', 'pm', 'hr',
  'cu cm', 'square', 'v â € ™', 'are', 'rupee', 'rounds', 'cubic', 'cc', 'mtr', 's', 'ohm', 'number', 'kmph', 'day',
  'hour', 'minute', 'min', 'second', 'man', 'woman', 'sec', 'cube', 'mt', 'sq inch', 'mp', '∏ cm ³', 'hectare',
  'more', 'sec', 'unit', 'cu . m', 'cm 2', 'rs .', 'rs', 'kg', 'g', 'month', 'km', 'm', 'cm', 'mm', 'apple', 'liter',
  'loss', 'yard', 'pure', 'year', 'increase', 'decrease', 'd', 'less', 'Surface', 'litre', 'pi sq m', 's .', 'metre',
  'meter', 'inch',
];
const UNIT_TEXTS = [...UNIT_TEXTS_BASE, ...UNIT_TEXTS_BASE.map((u) => `${u}s`)];

// Python: re.sub(r"(^|\W)" + unit + r"($|\W)", r"\1\2", s). Each regex comes with the literal pieces of
// its unit: a regex runs only where they all occur, which skips nearly all of the 2 x 270 passes (and the
// cost of compiling them) without changing any result.
interface UnitRule {
  unit: string;
  needles: string[];
  re?: RegExp; // built on first use
}
const UNIT_RULES: readonly UnitRule[] = UNIT_TEXTS.map((unit) => ({
  unit,
  needles: unit.split('.').filter((piece) => piece !== ''),
}));

function unitRegex(rule: UnitRule): RegExp {
  rule.re ??= new RegExp(`(^|${PY_NONWORD})${rule.unit.replace(/\./g, '[^\\n]')}($|${PY_NONWORD})`, 'gu');
  return rule.re;
}

const PREFIX_KEYS = ['x=', 'y=', 'z=', 'x\\in', 'y\\in', 'z\\in', 'x\\to', 'y\\to', 'z\\to'];

function removeUnits(s: string): string {
  let string = s;
  for (let pass = 0; pass < 2; pass++) {
    for (const rule of UNIT_RULES) {
      if (!rule.needles.every((n) => string.includes(n))) continue;
      const next = string.replace(unitRegex(rule), '$1$2');
      if (next !== '') string = next;
    }
  }
  return string;
}

/** Qwen2.5-Math strip_string (skip_unit=false, as the `math` task uses it). */
export function stripString(input: string): string {
  let string = pyStrip(input);
  string = string.replaceAll('\n', '');
  string = rstripChars(string, '.');
  string = string.replaceAll('\\!', '');

  // matrices
  string = string.replace(/\\begin\{array\}\{[^\n]*?\}/g, '\\begin{pmatrix}');
  string = string.replace(/\\end\{array\}/g, '\\end{pmatrix}');
  string = string.replaceAll('bmatrix', 'pmatrix');

  string = string.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  string = string.replaceAll('\\neq', '\\ne').replaceAll('\\leq', '\\le').replaceAll('\\geq', '\\ge');

  string = string.replaceAll('\\left', '').replaceAll('\\right', '');
  string = string.replaceAll('\\{', '{').replaceAll('\\}', '}');

  // a trailing \text{...} (units, "dollars") goes unless nothing would be left
  const noText = pyStrip(string.replace(/\\text\{[^\n]*?\}$/, ''));
  if (noText !== '' && noText !== string) string = noText;

  string = removeUnits(string);

  string = string.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  string = string.replaceAll('\\$', '').replaceAll('$', '');
  string = string.replaceAll('\\(', '').replaceAll('\\)', '');

  string = convertWordNumber(string);

  string = string.replace(/\\text\{([^\n]*?)\}/g, '$1');
  for (const key of PREFIX_KEYS) string = string.replaceAll(key, '');
  string = string.replaceAll('\\emptyset', '{}');
  string = string.replaceAll('(-\\infty,\\infty)', '\\mathbb{R}');

  string = string.replaceAll('\\%', '').replaceAll('%', '');

  string = string.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');

  string = string.replaceAll('infinity', '\\infty');
  if (!string.includes('\\infty')) string = string.replaceAll('inf', '\\infty');
  string = string.replaceAll('+\\inity', '\\infty');

  string = string.replaceAll('and', '');
  string = string.replaceAll('\\mathbf', '');
  string = string.replace(/\\mbox\{[^\n]*?\}/g, '');

  if (string.includes('j') && !string.includes('i')) string = string.replaceAll('j', 'i');

  // 12.000x -> 12x, trailing 12.000 -> 12. (A match can only start where a digit run starts; the
  // lookbehind says so and keeps a 20,000-digit run from costing quadratic backtracking.)
  string = string.replace(/(?<!\p{Nd})(\p{Nd}+)\.0*([^\p{Nd}])/gu, '$1$2');
  string = string.replace(/(?<!\p{Nd})(\p{Nd}+)\.0*$/u, '$1');

  if (string.length === 0) return string;
  if (string[0] === '.') string = `0${string}`;

  // a short "k=" style prefix
  const eq = string.split('=');
  if (eq.length === 2 && [...eq[0]].length <= 2) string = eq[1];

  string = fixSqrtQwen(string);
  string = string.replaceAll(' ', '');
  string = fixFracs(string, false);
  string = fixSlash(string, true);
  return string;
}
