// PRM800K's grade_answer ladder (math_grade.py) as the authors' `math` reward uses it:
//   1. Hendrycks normaliser equality (two empty strings are equal here);
//   2. `_normalize` equality (units, \text{}, pylatexenc LaTeX->text, lowercase, thousands separators);
//   3. an empty normalised answer is wrong;
//   4. tuple/interval split with the same bracket characters required at both ends;
//   5. per element: plain fractions must be string-equal (unreduced fractions are rejected), an integer
//      never matches a non-integer, otherwise sympy's `simplify(gt - given) == 0`, here replaced by the
//      strict verifier's value comparison under sympy's own skip conditions.

import { compareAnswers } from '../compare';
import { normalizeAnswerHendrycks } from './hendrycks';
import { latexToText } from './latex-to-text';
import { pyFloat, pyIntString, pyStrip } from './py';
import { sympyLiteralsEqual } from './sympy-float';
import { asSympyReads, stripOuterParens, sympyWouldParse, sympyWouldRun } from './sympy-gate';

const NORMALIZE_UNITS = [
  'degree', 'cm', 'centimeter', 'meter', 'mile', 'second', 'minute', 'hour', 'day', 'week', 'month', 'year',
  'foot', 'feet', 'inch', 'yard',
];
// Python: re.sub(f"{unit}(es)?(s)? *(\^[0-9]+)?", "", expr) - not anchored to word boundaries.
const UNIT_RES = NORMALIZE_UNITS.map((u) => new RegExp(`${u}(es)?(s)? *(\\^[0-9]+)?`, 'g'));

const TUPLE_CHARS = '()[]';

/** `_strip_properly_formatted_commas`: 1,234,567 -> 1234567, leaving tuple commas alone. */
function stripThousandsCommas(expr: string): string {
  const re = /(\p{Nd})(,)(\p{Nd}\p{Nd}\p{Nd})($|\P{Nd})/gu;
  let cur = expr;
  for (;;) {
    const next = cur.replace(re, '$1$3$4');
    if (next === cur) return next;
    cur = next;
  }
}

/** `_is_int` on a float: within 1e-7 of an integer (inf and nan are not). */
function floatIsInt(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x - Math.round(x)) <= 1e-7;
}

function strIsInt(x: string): boolean {
  const f = pyFloat(stripThousandsCommas(x));
  return f !== null && floatIsInt(f);
}

/** `_str_to_int`: drop every comma, float(), truncate. */
function strToInt(x: string): string {
  const f = pyFloat(x.replaceAll(',', ''));
  if (f === null || !Number.isFinite(f)) return x;
  return pyIntString(Math.trunc(f));
}

/** `_is_frac`: a plain fraction like 3/4, -10/3 (one optional stray character either side of the slash). */
function isFrac(expr: string): boolean {
  return /^-?[0-9]+[^\n]?\/0*[1-9][0-9]*[^\n]?(?=\n?$)/.test(expr);
}

/** `_parse_latex`: pylatexenc's LaTeX->text plus the symbol renames sympy can read. */
function parseLatex(input: string): string {
  let expr = input.replaceAll('\\tfrac', '\\frac').replaceAll('\\dfrac', '\\frac').replaceAll('\\frac', ' \\frac');
  expr = latexToText(expr);
  expr = expr
    .replaceAll('\u221a', 'sqrt')
    .replaceAll('\u03c0', 'pi')
    .replaceAll('\u221e', 'inf')
    .replaceAll('\u222a', 'U')
    .replaceAll('\u00b7', '*')
    .replaceAll('\u00d7', '*');
  return pyStrip(expr);
}

/** math_grade `_normalize`. */
export function normalizeForGrading(input: string): string {
  let expr = input;
  const m = /^\\text\{([^\n]+?)\}(?=\n?$)/.exec(expr);
  if (m) expr = m[1];

  expr = expr.replaceAll('\\%', '%').replaceAll('\\$', '$').replaceAll('$', '').replaceAll('%', '');
  expr = expr.replaceAll(' or ', ' , ').replaceAll(' and ', ' , ');
  expr = expr.replaceAll('million', '*10^6').replaceAll('billion', '*10^9').replaceAll('trillion', '*10^12');
  for (const re of UNIT_RES) expr = expr.replace(re, '');
  expr = expr.replace(/\^ *\\circ/g, '');

  if (expr.length > 0 && expr[0] === '{' && expr[expr.length - 1] === '}') expr = expr.slice(1, -1);

  expr = expr.replace(/,\\! */g, '');
  const f = pyFloat(expr);
  if (f !== null && floatIsInt(f)) expr = pyIntString(f);
  if (expr.includes('\\')) {
    try {
      expr = parseLatex(expr);
    } catch {
      // pylatexenc raised: _normalize keeps the text as it was
    }
  }

  expr = expr.replace(/- */g, '-');
  expr = expr.replace(/([0-9]) +([0-9])/g, '$1+$2'); // mixed numbers: 7 3/4 -> 7+3/4
  expr = expr.replaceAll(' ', '');
  expr = expr.replaceAll('{', '').replaceAll('}', '');
  expr = expr.toLowerCase();
  if (strIsInt(expr)) expr = strToInt(expr);
  return expr;
}

/** `split_tuple`: the elements of "(a,b)" / "[a,b)" when there are no inner brackets, else the whole. */
function splitTuple(input: string): string[] {
  const expr = stripThousandsCommas(input);
  if (expr.length === 0) return [];
  const inner = expr.slice(1, -1);
  if (
    expr.length > 2 &&
    TUPLE_CHARS.includes(expr[0]) &&
    TUPLE_CHARS.includes(expr[expr.length - 1]) &&
    ![...TUPLE_CHARS].some((ch) => inner.includes(ch))
  ) {
    return inner.split(',').map(pyStrip);
  }
  return [expr];
}

/** `are_equal_under_sympy`, with the value comparison standing in for sympy.simplify. */
function equalUnderSympy(gt: string, given: string, compareMs: number | undefined): boolean {
  const diff = `(${gt})-(${given})`;
  if (!sympyWouldRun(diff) || !sympyWouldParse(diff)) return false;
  // a literal division by zero makes zoo, and zoo - anything is never 0
  if (/\/\(?0+(?![0-9.])/.test(diff)) return false;
  // x - x simplifies to 0 whatever x is (unknown functions, huge factorials, base subscripts)
  const g0 = gt.replace(/\s+/g, '');
  const p0 = given.replace(/\s+/g, '');
  if (stripOuterParens(g0) === stripOuterParens(p0)) return true;
  const [g, p] = asSympyReads(g0, p0);
  const literals = sympyLiteralsEqual(stripOuterParens(g), stripOuterParens(p));
  if (literals !== null) return literals;
  return compareAnswers(p, g, { deadlineMs: compareMs }) === 'equal';
}

export interface GradeOptions {
  /** Time budget handed to each value comparison (the sympy stand-in); its default otherwise. */
  compareMs?: number;
}

/** math_grade.grade_answer(given_answer, ground_truth). */
export function gradeAnswer(given: string, groundTruth: string, opts: GradeOptions = {}): boolean {
  if (normalizeAnswerHendrycks(groundTruth) === normalizeAnswerHendrycks(given)) return true;

  const gtNorm = normalizeForGrading(groundTruth);
  const givenNorm = normalizeForGrading(given);
  if (gtNorm === givenNorm) return true;
  if (givenNorm.length === 0) return false;

  const gtElems = splitTuple(gtNorm);
  const givenElems = splitTuple(givenNorm);
  if (gtElems.length > 1 && (gtNorm[0] !== givenNorm[0] || gtNorm[gtNorm.length - 1] !== givenNorm[givenNorm.length - 1])) {
    return false;
  }
  if (gtElems.length !== givenElems.length) return false;
  for (let i = 0; i < gtElems.length; i++) {
    const g = gtElems[i];
    const p = givenElems[i];
    let ok: boolean;
    if (isFrac(g) && isFrac(p)) ok = g === p; // unreduced fractions are deliberately not accepted
    else if (strIsInt(g) !== strIsInt(p)) ok = false;
    else ok = equalUnderSympy(g, p, opts.compareMs);
    if (!ok) return false;
  }
  return true;
}
