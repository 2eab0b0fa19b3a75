// A stand-in for pylatexenc 2.10's `LatexNodes2Text().latex_to_text`, which math_grade's `_normalize`
// applies to any answer containing a backslash. Only the behaviour that answers exercise is modelled:
// groups, inline/display math, macros with their argument specs, symbols, accents, math alphabets,
// matrix/equation environments, specials and pylatexenc's whitespace rules (a letter macro swallows the
// blanks after it; `\frac{a}{b}` renders as `a/b` with no parentheses; `\sqrt[n]{x}` as `√(x)`).
// Unknown macros render as nothing and leave their braced arguments to render as plain groups.

import { LATEX_SYMBOLS } from './latex-symbols';

/** Thrown where pylatexenc raises (a `\sqrt` without its argument, nesting past Python's recursion limit). */
export class LatexToTextError extends Error {}

/** Nesting budget: pylatexenc hits Python's recursion limit at ~200-250 nested groups, ~110-150 nested \frac. */
const MAX_DEPTH = 225;

/** Argument specs of the macros pylatexenc's parser knows (`{` mandatory, `[` optional, `*` star). */
const ARG_SPECS: ReadonlyMap<string, string> = new Map([
  ['frac', '{{'], ['nicefrac', '{{'], ['sqrt', '[{'], ['\\', '*['],
  ['text', '{'], ['textrm', '{'], ['textit', '{'], ['textbf', '{'], ['textsc', '{'], ['textsl', '{'], ['emph', '{'],
  ['textmd', '{'], ['textsf', '{'], ['texttt', '{'], ['textup', '{'], ['mbox', '{'], ['ensuremath', '{'],
  ['mathrm', '{'], ['mathbb', '{'], ['mathbf', '{'], ['mathit', '{'], ['mathsf', '{'], ['mathtt', '{'],
  ['mathcal', '{'], ['mathscr', '{'], ['mathfrak', '{'],
  ['overline', '{'], ['underline', '{'], ['widehat', '{'], ['widetilde', '{'], ['wideparen', '{'],
  ['overleftarrow', '{'], ['overrightarrow', '{'], ['overleftrightarrow', '{'], ['underleftarrow', '{'],
  ['underrightarrow', '{'], ['underleftrightarrow', '{'], ['overbrace', '{'], ['underbrace', '{'],
  ['overgroup', '{'], ['undergroup', '{'], ['overbracket', '{'], ['underbracket', '{'],
  ['overlinesegment', '{'], ['underlinesegment', '{'], ['overleftharpoon', '{'], ['overrightharpoon', '{'],
  ['hspace', '*{'], ['vspace', '*{'], ['hphantom', '[{'], ['vphantom', '[{'], ['xleftarrow', '[{'],
  ['xrightarrow', '[{'], ['label', '{'], ['ref', '{'], ['eqref', '{'], ['url', '{'], ['footnote', '[{'],
  ['color', '[{'], ['textcolor', '[{{'], ['colorbox', '[{{'], ['fcolorbox', '[{[{{'], ['pagecolor', '[{'],
  ['setlength', '{{'], ['setcounter', '{{'], ['addlength', '{{'], ['addcounter', '{{'],
  ['newcommand', '*{[[{'], ['renewcommand', '*{[[{'], ['providecommand', '*{[[{'], ['DeclareMathOperator', '*{{'],
  ['usepackage', '[{'], ['documentclass', '[{'], ['item', '['], ['verb', '{'], ['input', '{'], ['include', '{'],
  ['ket', '{'], ['bra', '{'], ['braket', '{{'], ['ketbra', '{{'], ['texorpdfstring', '{{'],
  ["'", '{'], ['`', '{'], ['"', '{'], ['^', '{'], ['~', '{'], ['=', '{'], ['.', '{'], ['c', '{'], ['H', '{'],
  ['k', '{'], ['b', '{'], ['d', '{'], ['r', '{'], ['u', '{'], ['v', '{'], ['vec', '{'], ['dot', '{'], ['hat', '{'],
  ['check', '{'], ['breve', '{'], ['acute', '{'], ['grave', '{'], ['tilde', '{'], ['bar', '{'], ['ddot', '{'],
  ['not', '{'],
]);

/** Macros that render their argument as it is (and as nothing when they have none). */
const TEXT_MACROS = new Set(['text', 'textrm', 'textit', 'textbf', 'textsc', 'textsl', 'emph', 'mathrm']);

/** Macros whose replacement is '%s' (their argument); without an argument pylatexenc prints '%s' itself. */
const CONTENT_MACROS = new Set([
  'overline', 'underline', 'widehat',
  'widetilde', 'wideparen', 'overleftarrow', 'overrightarrow', 'overleftrightarrow', 'underleftarrow',
  'underrightarrow', 'underleftrightarrow', 'overbrace', 'underbrace', 'overgroup', 'undergroup', 'overbracket',
  'underbracket', 'overlinesegment', 'underlinesegment', 'overleftharpoon', 'overrightharpoon',
]);

/** Accent macros -> the combining character appended to every character of the argument (then NFC). */
const ACCENTS: ReadonlyMap<string, string> = new Map([
  ["'", '\u0301'], ['`', '\u0300'], ['"', '\u0308'], ['^', '\u0302'], ['~', '\u0303'], ['=', '\u0304'],
  ['.', '\u0307'], ['c', '\u0327'], ['H', '\u030b'], ['k', '\u0328'], ['b', '\u0331'], ['d', '\u0323'],
  ['r', '\u030a'], ['u', '\u0306'], ['v', '\u030c'], ['vec', '\u20d7'], ['dot', '\u0307'], ['hat', '\u0302'],
  ['check', '\u030c'], ['breve', '\u0306'], ['acute', '\u0301'], ['grave', '\u0300'], ['tilde', '\u0303'],
  ['bar', '\u0305'], ['ddot', '\u0308'], ['not', '\u0338'],
]);

/** Math alphabets: first code point of A and of a, and letters that live in the Letterlike block. */
interface MathAlphabet { upper: number; lower: number; holes: Readonly<Record<string, string>> }
const ALPHABETS: Readonly<Record<string, MathAlphabet>> = {
  mathbf: { upper: 0x1d400, lower: 0x1d41a, holes: {} },
  mathit: { upper: 0x1d434, lower: 0x1d44e, holes: { h: '\u210e' } },
  mathsf: { upper: 0x1d5a0, lower: 0x1d5ba, holes: {} },
  mathtt: { upper: 0x1d670, lower: 0x1d68a, holes: {} },
  mathcal: { upper: 0x1d49c, lower: 0x1d4b6, holes: { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ', e: 'ℯ', g: 'ℊ', o: 'ℴ' } },
  mathscr: { upper: 0x1d49c, lower: 0x1d4b6, holes: { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ', e: 'ℯ', g: 'ℊ', o: 'ℴ' } },
  mathfrak: { upper: 0x1d504, lower: 0x1d51e, holes: { C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' } },
  mathbb: { upper: 0x1d538, lower: 0x1d552, holes: { C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' } },
};

/** Environments whose \begin takes arguments (column specs and the like), which render as nothing. */
const ENV_ARG_SPECS: ReadonlyMap<string, string> = new Map([
  ['array', '[{'], ['tabular', '{'], ['tabular*', '{{'], ['tabularx', '{[{'], ['alignat', '{'], ['alignat*', '{'],
  ['figure', '['], ['figure*', '['], ['table', '['], ['table*', '['], ['enumerate', '['], ['itemize', '['],
  ['description', '['], ['theorem', '['], ['lemma', '['], ['proof', '['], ['remark', '['], ['definition', '['],
]);

/** Characters at which plain text stops: markup, and the first character of every special. */
const SPECIAL_START = new Set(['\\', '{', '}', '$', '%', '&', '~', '-', '`', "'", '!', '?', ']']);

/** Cell and row separators inside a matrix environment (private-use characters, split on afterwards). */
const CELL = '\ue001';
const ROW = '\ue000';

const MATRIX_ENVS = new Set(['array', 'pmatrix', 'bmatrix', 'smallmatrix', 'psmallmatrix', 'bsmallmatrix']);
const EQUATION_ENVS = new Set([
  'equation', 'equation*', 'eqnarray', 'eqnarray*', 'align', 'align*', 'multline', 'multline*', 'gather',
  'gather*', 'dmath', 'dmath*',
]);

function styleLetters(text: string, a: MathAlphabet): string {
  return text.replace(/[A-Za-z]/g, (ch) => {
    const hole = a.holes[ch];
    if (hole !== undefined) return hole;
    const code = ch.charCodeAt(0);
    return String.fromCodePoint(code <= 90 ? a.upper + code - 65 : a.lower + code - 97);
  });
}

function accent(text: string, mark: string): string {
  return [...text].map((c) => c + mark).join('').normalize('NFC');
}

function displayMath(inner: string): string {
  return `\n${inner.trim().split('\n').map((l) => `    ${l}`).join('\n')}\n`;
}

// pylatexenc reads a macro name as a run of str.isalpha() characters, so `\fracπ` is one unknown macro.
function isLetter(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /\p{L}/u.test(ch);
}
// Python's Unicode whitespace (str.isspace): a letter macro also swallows no-break and thin spaces.
function isBlank(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
  return /[\s\x85]/u.test(ch);
}

/** What ends a node list: end of input, a closing brace, `]`, a math delimiter or `\end{name}`. */
type Stop =
  | { kind: 'eof' }
  | { kind: 'brace' }
  | { kind: 'bracket' }
  | { kind: 'math'; close: string }
  | { kind: 'env'; name: string };

/** An argument as parsed: null when absent (optional) or missing. */
type Arg = string | null;

class Converter {
  private pos = 0;
  /** > 0 while rendering the body of a matrix environment, where & and \\ separate cells and rows. */
  private matrixDepth = 0;
  /** Nodes other than cell/row separators read so far (pylatexenc fails on a matrix without any). */
  private contentNodes = 0;
  constructor(private readonly s: string) {}

  run(): string {
    return this.nodes({ kind: 'eof' }, 0);
  }

  /** Renders nodes up to (and consuming) the stop token. */
  private nodes(stop: Stop, depth: number): string {
    if (depth > MAX_DEPTH) throw new LatexToTextError('nesting too deep');
    const s = this.s;
    let out = '';
    while (this.pos < s.length) {
      const ch = s[this.pos];
      if (stop.kind === 'brace' && ch === '}') {
        this.pos++;
        return out;
      }
      if (stop.kind === 'bracket' && ch === ']') {
        this.pos++;
        return out;
      }
      if (stop.kind === 'math' && s.startsWith(stop.close, this.pos)) {
        this.pos += stop.close.length;
        return out;
      }
      if (stop.kind === 'env' && s.startsWith(`\\end{${stop.name}}`, this.pos)) {
        this.pos += `\\end{${stop.name}}`.length; // an \end with another name is dropped, and the body goes on
        return out;
      }
      out += this.node(depth);
    }
    return out;
  }

  /** One node at this.pos. */
  private node(depth: number): string {
    const s = this.s;
    const ch = s[this.pos];
    const separator = this.matrixDepth > 0 && (ch === '&' || s.startsWith('\\\\', this.pos));
    if (!separator && ch !== '}' && !(ch === '\\' && s.startsWith('\\end', this.pos) && !isLetter(s[this.pos + 4]))) {
      this.contentNodes++;
    }
    if (ch === '{') {
      this.pos++;
      return this.nodes({ kind: 'brace' }, depth + 1);
    }
    if (ch === '}') {
      this.pos++; // a stray closing brace renders as nothing
      return '';
    }
    if (ch === '%') {
      while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      this.pos++;
      while (this.pos < s.length && (s[this.pos] === ' ' || s[this.pos] === '\t')) this.pos++;
      return '';
    }
    if (ch === '$') {
      if (s[this.pos + 1] === '$') {
        this.pos += 2;
        return displayMath(this.nodes({ kind: 'math', close: '$$' }, depth + 1));
      }
      this.pos++;
      return this.nodes({ kind: 'math', close: '$' }, depth + 1);
    }
    if (ch === '\\') return this.macro(depth);
    return this.charsToken();
  }

  /**
   * Plain text or one of the specials pylatexenc replaces. `single`: exactly one character (code point) or
   * special, as a bare macro argument takes (`\frac12`).
   */
  private charsToken(single = false): string {
    const s = this.s;
    // fast path: a run of characters that are neither markup nor the start of a special
    let end = this.pos;
    while (!single && end < s.length && !SPECIAL_START.has(s[end])) end++;
    if (end > this.pos) {
      const run = s.slice(this.pos, end);
      this.pos = end;
      return run;
    }
    const rest = (t: string) => s.startsWith(t, this.pos);
    if (rest('---')) return this.take(3, '\u2014');
    if (rest('--')) return this.take(2, '\u2013');
    if (rest('``')) return this.take(2, '\u201c');
    if (rest("''")) return this.take(2, '\u201d');
    if (rest('!`')) return this.take(2, '\u00a1');
    if (rest('?`')) return this.take(2, '\u00bf');
    const ch = s[this.pos];
    if (ch === '&') return this.take(1, this.matrixDepth > 0 ? CELL : '   ');
    if (ch === '~') return this.take(1, '\u00a0');
    const cp = String.fromCodePoint(s.codePointAt(this.pos) ?? 0);
    return this.take(cp.length, cp);
  }

  private take(n: number, text: string): string {
    this.pos += n;
    return text;
  }

  private macro(depth: number): string {
    const s = this.s;
    this.pos++; // the backslash
    if (this.pos >= s.length) return '';
    let name: string;
    if (isLetter(s[this.pos])) {
      const start = this.pos;
      while (isLetter(s[this.pos])) this.pos++;
      name = s.slice(start, this.pos);
      while (isBlank(s[this.pos])) this.pos++; // letter macros swallow the blanks after them
    } else {
      name = s[this.pos];
      this.pos++;
      if (name === '(') return this.nodes({ kind: 'math', close: '\\)' }, depth + 1);
      if (name === '[') return displayMath(this.nodes({ kind: 'math', close: '\\]' }, depth + 1));
      if (name === ')' || name === ']') return '';
    }
    if (name === 'begin') return this.environment(depth);
    if (name === 'end') {
      this.readBracedName(); // a stray \end renders as nothing
      return '';
    }
    const spec = ARG_SPECS.get(name);
    const args = spec === undefined ? [] : this.args(spec, depth);
    return this.render(name, args);
  }

  /** Parses arguments; a missing mandatory argument leaves the macro without any (pylatexenc backs off). */
  private args(spec: string, depth: number): Arg[] | null {
    const save = this.pos;
    const args: Arg[] = [];
    for (const kind of spec) {
      if (kind === '*') {
        // a star may follow blanks; an optional [..] must follow at once (letter macros already ate their blanks)
        const before = this.pos;
        this.skipBlanks();
        if (this.s[this.pos] === '*') this.pos++;
        else this.pos = before;
        args.push(null);
        continue;
      }
      if (kind === '{') this.skipBlanks();
      const ch = this.s[this.pos];
      if (kind === '[') {
        if (ch === '[') {
          this.pos++;
          args.push(this.nodes({ kind: 'bracket' }, depth + 2));
        } else {
          args.push(null);
        }
      } else {
        if (ch === undefined) {
          this.pos = save;
          return null;
        }
        if (ch === '}') {
          args.push(''); // pylatexenc reads an empty argument and leaves the brace alone
          continue;
        }
        if (ch === '{') {
          this.pos++;
          args.push(this.nodes({ kind: 'brace' }, depth + 2));
        } else if (ch === '\\') {
          args.push(this.singleMacroToken());
        } else if (ch === '$' || ch === '%' || ch === '{') {
          args.push(this.node(depth + 2));
        } else {
          args.push(this.charsToken(true));
        }
      }
    }
    return args;
  }

  /** A bare macro used as an argument (`\frac\pi2`): the macro alone, without arguments of its own. */
  private singleMacroToken(): string {
    const s = this.s;
    this.pos++;
    if (isLetter(s[this.pos])) {
      const start = this.pos;
      while (isLetter(s[this.pos])) this.pos++;
      const name = s.slice(start, this.pos);
      while (isBlank(s[this.pos])) this.pos++;
      if (name === 'end') {
        this.readBracedName();
        return '';
      }
      return this.render(name, null); // `\begin` here is a bare unknown macro: its {name} renders as a group
    }
    const name = s[this.pos] ?? '';
    this.pos++;
    return this.render(name, null);
  }

  private skipBlanks(): void {
    while (isBlank(this.s[this.pos])) this.pos++;
  }

  private readBracedName(): string {
    this.skipBlanks();
    if (this.s[this.pos] !== '{') return '';
    const close = this.s.indexOf('}', this.pos);
    if (close < 0) {
      this.pos = this.s.length;
      return '';
    }
    const name = this.s.slice(this.pos + 1, close);
    this.pos = close + 1;
    return name;
  }

  private environment(depth: number): string {
    this.skipBlanks();
    if (this.s[this.pos] === '{' && !this.s.includes('}', this.pos)) return '\\begin'; // pylatexenc gives up: literal text
    const name = this.readBracedName();
    const envSpec = ENV_ARG_SPECS.get(name);
    if (envSpec !== undefined) this.args(envSpec, depth);
    const matrix = MATRIX_ENVS.has(name);
    const outer = this.matrixDepth;
    this.matrixDepth = matrix ? 1 : 0;
    const nodesBefore = this.contentNodes;
    let body: string;
    try {
      body = this.nodes({ kind: 'env', name }, depth + 1);
    } finally {
      this.matrixDepth = outer;
    }
    if (matrix) {
      const rows = body.split(ROW).map((row) =>
        row
          .split(CELL)
          .map((c) => c.trim())
          .filter((c) => c !== '')
          .join(' '),
      );
      // pylatexenc raises (ValueError) on a matrix body that is empty or nothing but separators
      if (this.contentNodes === nodesBefore) throw new LatexToTextError(`empty ${name}`);
      return `[ ${rows.join('; ')} ]`;
    }
    if (EQUATION_ENVS.has(name)) return displayMath(body);
    return body;
  }

  private render(name: string, args: Arg[] | null): string {
    const a = (i: number) => (args === null ? null : args[i] ?? null);
    const text = (i: number) => a(i) ?? '';
    switch (name) {
      case 'frac':
      case 'nicefrac':
        return args === null ? '%s/%s' : `${text(0)}/${text(1)}`;
      case 'sqrt':
        if (args === null) throw new LatexToTextError('\\sqrt without its argument'); // KeyError in pylatexenc
        return `\u221a(${text(1)})`;
      case '\\':
        return this.matrixDepth > 0 ? ROW : '\n';
      case 'vspace':
        return '\n';
      case 'textcolor':
      case 'colorbox':
        return text(2);
      case 'fcolorbox':
        return text(4);
      case 'url':
        return `<${text(0)}>`;
      case 'footnote':
        return `[${text(1)}]`;
      case 'ket':
        return `|${text(0)}\u27e9`;
      case 'bra':
        return `\u27e8${text(0)}|`;
      case '%':
        return '%';
      default:
        break;
    }
    if (TEXT_MACROS.has(name)) return text(0);
    if (CONTENT_MACROS.has(name)) return args === null ? '%s' : text(0); // '%s' is the failed substitution
    const alphabet = ALPHABETS[name];
    if (alphabet !== undefined) return styleLetters(text(0), alphabet);
    const mark = ACCENTS.get(name);
    if (mark !== undefined) return args === null ? ` ${mark}` : accent(text(0), mark);
    return LATEX_SYMBOLS.get(name) ?? '';
  }
}

/** pylatexenc's latex_to_text (default options) on `latex`; throws LatexToTextError where it raises. */
export function latexToText(latex: string): string {
  return new Converter(latex).run();
}
