// The Hendrycks MATH normaliser as shipped with PRM800K (`math_normalize.normalize_answer`), the first
// rung of grade_answer. Any exception inside `_strip_string` makes it return its (trimmed) input.

import { PythonRaised, fixFracs, fixSlash, fixSqrtHendrycks } from './frac-fixes';
import { pyStrip } from './py';

/** `_remove_right_units`: "\text{ " marks units; more than one of them is an AssertionError. */
function removeRightUnits(string: string): string {
  if (!string.includes('\\text{ ')) return string;
  const splits = string.split('\\text{ ');
  if (splits.length !== 2) throw new PythonRaised('AssertionError in _remove_right_units');
  return splits[0];
}

function stripStringHendrycks(input: string): string {
  let string = input.replaceAll('\n', '');
  string = string.replaceAll('\\!', '');
  string = string.replaceAll('\\\\', '\\');
  string = string.replaceAll('tfrac', 'frac').replaceAll('dfrac', 'frac');
  string = string.replaceAll('\\left', '').replaceAll('\\right', '');
  string = string.replaceAll('^{\\circ}', '').replaceAll('^\\circ', '');
  string = string.replaceAll('\\$', '');
  string = removeRightUnits(string);
  string = string.replaceAll('\\%', '');
  string = string.replaceAll(' .', ' 0.').replaceAll('{.', '{0.');
  if (string.length === 0) return string;
  if (string[0] === '.') string = `0${string}`;
  const eq = string.split('=');
  if (eq.length === 2 && [...eq[0]].length <= 2) string = eq[1];
  string = fixSqrtHendrycks(string);
  string = string.replaceAll(' ', '');
  string = fixFracs(string, true);
  if (string === '0.5') string = '\\frac{1}{2}';
  string = fixSlash(string, false);
  return string;
}

/** PRM800K normalize_answer. */
export function normalizeAnswerHendrycks(answer: string): string {
  let a = pyStrip(answer);
  try {
    const m = /^\\text\{([^\n]+?)\}(?=\n?$)/.exec(a);
    if (m) a = pyStrip(m[1]);
    return stripStringHendrycks(a);
  } catch (e) {
    if (e instanceof PythonRaised) return a;
    throw e;
  }
}
