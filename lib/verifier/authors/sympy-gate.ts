// When would PRM800K's sympy step even get to compare? `should_allow_eval` skips text with more than two
// distinct letters and risky exponents; beyond that, `parse_expr` raises (and grade_answer returns false)
// on anything that is not a Python expression: `=`, `<`, brackets, a trailing `.`, stray symbols. The value
// comparison that replaces sympy must only be asked where sympy would have parsed the difference.

import { isAlphaChar } from './py';

/** Distinct letters, ignoring the words "sqrt" and "frac" (`count_unknown_letters_in_expr`). */
function countLetters(expr: string): number {
  const rest = expr.replaceAll('sqrt', '').replaceAll('frac', '');
  return new Set([...rest].filter(isAlphaChar)).size;
}

/** `should_allow_eval`: sympy is not tried on text, on more than two unknowns, or on risky exponents. */
export function sympyWouldRun(expr: string): boolean {
  if (countLetters(expr) > 2) return false;
  if (expr.includes('^{') || expr.includes('^(')) return false;
  if (/\^[0-9]+\^/.test(expr) || /\^[0-9][0-9]+/.test(expr)) return false;
  return true;
}

/** Python keywords that fit under the two-letter cap; as tokens they are syntax errors. */
const KEYWORDS = new Set(['if', 'in', 'is', 'or', 'as', 'and', 'not']);
/** Names that parse_expr resolves to Python builtins or sympy objects that do not subtract to 0 (TypeError, nan). */
const NON_SYMBOLS = new Set(['all', 'id', 'nan', 'zoo', 'oo', 'ff', 'rf']);

/** Names sympy knows (functions and constants) that implicit multiplication does not split into letters. */
const SYMPY_NAMES = new Set(['pi', 'sqrt', 'ln', 're', 'im', 'li', 'exp', 'log', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc']);

type Token = 'num' | 'name' | '(' | ')' | 'bin' | 'sign' | '!' | 'nl';

/** Tokens as Python's tokenizer sees the expression (after `^` -> `**`), or null where it would fail. */
function tokenize(expr: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const s = expr;
  while (i < s.length) {
    const ch = s[i];
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      // inside the difference's parentheses a newline is legal, but it stops implicit multiplication
      out.push('nl');
      i++;
      continue;
    }
    const num = /^(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?j?/.exec(
      s.slice(i, i + 400),
    );
    if (num) {
      out.push('num');
      i += num[0].length;
      continue;
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(s.slice(i, i + 400));
    if (name) {
      if (KEYWORDS.has(name[0]) || NON_SYMBOLS.has(name[0])) return null;
      if (SYMPY_NAMES.has(name[0]) && name[0] !== 'pi' && s[i + name[0].length] === '^') return null; // function ** n: TypeError
      out.push('name');
      i += name[0].length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '!') {
      out.push(ch);
      i++;
      continue;
    }
    if (ch === '+' || ch === '-') {
      out.push('sign');
      i++;
      continue;
    }
    if (ch === '*' || ch === '/' || ch === '^') {
      // ** and // are single operators; ^ became **
      if ((ch === '*' || ch === '/') && s[i + 1] === ch) i++;
      out.push('bin');
      i++;
      continue;
    }
    return null; // = < > [ ] , | . \ and any other symbol: a syntax or type error in sympy
  }
  return out;
}

/** Would sympy's parse_expr (implicit multiplication on) read this as one arithmetic expression? */
export function sympyWouldParse(expr: string): boolean {
  const tokens = tokenize(expr);
  if (tokens === null) return false;
  let depth = 0;
  let expectOperand = true;
  let newline = false;
  for (const t of tokens) {
    if (t === 'nl') {
      newline = true;
      continue;
    }
    const juxtaposed = !expectOperand && (t === 'num' || t === 'name' || t === '(');
    if (juxtaposed && newline) return false; // "2\nx": no implicit multiplication across a line break
    newline = false;
    if (t === 'num' || t === 'name') {
      expectOperand = false; // juxtaposition is implicit multiplication
    } else if (t === '(') {
      depth++;
      expectOperand = true;
    } else if (t === ')') {
      if (expectOperand || depth === 0) return false; // "()" or "(5+)" or unbalanced
      depth--;
    } else if (t === 'sign') {
      expectOperand = true;
    } else if (t === 'bin') {
      if (expectOperand) return false;
      expectOperand = true;
    } else if (t === '!') {
      if (expectOperand) return false;
    }
  }
  return depth === 0 && !expectOperand;
}


/**
 * The expression as sympy reads it, for the value comparison standing in for sympy: digit underscores are
 * Python literal separators (`1100111_2` is 11001112); Python's tokenizer reads an integer with leading
 * zeros ("073") as the numbers 0 and 73, which implicit multiplication turns into 0; and `e` and `i` are
 * plain symbols to sympy (not Euler's number or the imaginary unit), so they are renamed to unused letters.
 */
export function asSympyReads(gt: string, given: string): [string, string] {
  const both = gt + given;
  const free = [...'qwzyxvutsrpnmlkjhgfdcba'].filter((c) => !both.includes(c));
  const rename = new Map<string, string>();
  const fix = (expr: string) =>
    expr
      .replace(/(?<![0-9._\p{L}])0[0-9_]*[1-9][0-9_]*(?![0-9._eEjJ])/gu, '0')
      .replace(/([0-9])_(?=[0-9])/g, '$1')
      .replace(/\p{L}+/gu, (run) => {
      if (SYMPY_NAMES.has(run)) return run;
      return [...run]
        .map((ch) => {
          if (ch !== 'e' && ch !== 'i') return ch;
          if (!rename.has(ch)) rename.set(ch, free.shift() ?? ch);
          return rename.get(ch) ?? ch;
        })
        .join('');
    });
  return [fix(gt), fix(given)];
}

/** Strip parentheses that enclose the whole expression: "((x+1))" -> "x+1". */
export function stripOuterParens(expr: string): string {
  let e = expr;
  for (;;) {
    if (e.length < 2 || e[0] !== '(' || e[e.length - 1] !== ')') return e;
    let depth = 0;
    for (let i = 0; i < e.length; i++) {
      if (e[i] === '(') depth++;
      else if (e[i] === ')') depth--;
      if (depth === 0 && i < e.length - 1) return e; // the first "(" closes before the end
    }
    e = e.slice(1, -1);
  }
}
