// Tokeniser and recursive-descent parser for LaTeX and plain ASCII answers.
// Linear time: one pass to tokenise, one to match brackets, one to parse; no backtracking. Recursion depth is
// capped (LIMITS.depth) and redundant wrappers such as ((((7)))) or {{{4}}} are peeled iteratively first.
import type { Node, Sign } from './ast';
import { Budget, LIMITS, LimitError } from './limits';

/** The answer is not in a form the parser understands (the caller falls back to string comparison). */
export class ParseFail extends Error {
  constructor(what: string) {
    super(`cannot parse: ${what}`);
    this.name = 'ParseFail';
  }
}

type Tok =
  | { k: 'num'; v: string }
  | { k: 'id'; v: string }
  | { k: 'word'; v: string }
  | { k: 'const'; v: 'pi' | 'e' | 'i' | 'inf' }
  | { k: 'fn'; v: string }
  | { k: 'cmd'; v: 'frac' | 'sqrt' | 'binom' | 'empty' }
  | { k: 'op'; v: string }
  | { k: 'rel'; v: string }
  | { k: 'open'; v: string }
  | { k: 'close'; v: string }
  | { k: 'env'; v: string; begin: boolean };

const FUNCS = new Set([
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'log', 'ln', 'lg', 'exp',
  'sqrt', 'abs', 'floor', 'ceil',
]);
const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa', 'lambda',
  'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta',
  'Lambda', 'Xi', 'Sigma', 'Phi', 'Psi', 'Omega', 'ell',
]);

// LaTeX commands with a fixed token meaning.
const COMMANDS: Record<string, Tok> = {
  frac: { k: 'cmd', v: 'frac' }, sqrt: { k: 'cmd', v: 'sqrt' }, binom: { k: 'cmd', v: 'binom' },
  pi: { k: 'const', v: 'pi' }, infty: { k: 'const', v: 'inf' }, infinity: { k: 'const', v: 'inf' }, inf: { k: 'const', v: 'inf' },
  emptyset: { k: 'cmd', v: 'empty' }, varnothing: { k: 'cmd', v: 'empty' },
  pm: { k: 'op', v: 'pm' }, mp: { k: 'op', v: 'mp' },
  cdot: { k: 'op', v: '*' }, times: { k: 'op', v: '*' }, ast: { k: 'op', v: '*' }, div: { k: 'op', v: '/' },
  cup: { k: 'op', v: 'cup' }, cap: { k: 'op', v: 'cap' },
  le: { k: 'rel', v: '<=' }, leq: { k: 'rel', v: '<=' }, leqslant: { k: 'rel', v: '<=' }, lt: { k: 'rel', v: '<' },
  ge: { k: 'rel', v: '>=' }, geq: { k: 'rel', v: '>=' }, geqslant: { k: 'rel', v: '>=' }, gt: { k: 'rel', v: '>' },
  ne: { k: 'rel', v: '!=' }, neq: { k: 'rel', v: '!=' }, in: { k: 'rel', v: 'in' }, approx: { k: 'rel', v: '~' },
  equiv: { k: 'rel', v: '=' }, colon: { k: 'op', v: ':' }, mid: { k: 'op', v: '|' }, vert: { k: 'op', v: '|' },
  lvert: { k: 'op', v: '|' }, rvert: { k: 'op', v: '|' }, prime: { k: 'op', v: "'" },
  lbrace: { k: 'open', v: '\\{' }, rbrace: { k: 'close', v: '\\}' }, langle: { k: 'open', v: '(' }, rangle: { k: 'close', v: ')' },
  lfloor: { k: 'fn', v: 'floor' }, lceil: { k: 'fn', v: 'ceil' }, rfloor: { k: 'op', v: 'skip' }, rceil: { k: 'op', v: 'skip' },
  ldots: { k: 'word', v: '...' }, cdots: { k: 'word', v: '...' }, dots: { k: 'word', v: '...' },
};
const COMMAND_NAMES = Object.keys(COMMANDS).concat([...FUNCS], [...GREEK]).sort((a, b) => b.length - a.length);

function commandToken(name: string): Tok | null {
  const c = COMMANDS[name];
  if (c) return c;
  if (FUNCS.has(name)) return name === 'sqrt' ? { k: 'cmd', v: 'sqrt' } : { k: 'fn', v: name };
  if (GREEK.has(name)) return { k: 'id', v: name };
  return null;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Splits a run of plain letters: function names, constants, words (text) or single-letter variables. */
function letterRun(run: string, out: Tok[]): void {
  if (FUNCS.has(run)) out.push(run === 'sqrt' ? { k: 'cmd', v: 'sqrt' } : { k: 'fn', v: run });
  else if (run === 'pi') out.push({ k: 'const', v: 'pi' });
  else if (run === 'inf' || run === 'infty' || run === 'infinity' || run === 'oo') out.push({ k: 'const', v: 'inf' });
  else if (run.length >= 4 || (run.length === 3 && /^[A-Z][a-z]/.test(run))) out.push({ k: 'word', v: run });
  else for (const ch of run) out.push(ch === 'e' ? { k: 'const', v: 'e' } : ch === 'i' ? { k: 'const', v: 'i' } : { k: 'id', v: ch });
}

// Punctuation tokens are shared objects: a 50 KB answer of nested braces then allocates almost nothing.
const SHARED = new Map<string, Tok>();
function shared(k: 'op' | 'rel' | 'open' | 'close', v: string): Tok {
  const key = k + v;
  let t = SHARED.get(key);
  if (!t) {
    t = { k, v } as Tok;
    SHARED.set(key, t);
  }
  return t;
}

export function tokenize(s: string, budget: Budget): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    budget.tick();
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
    } else if (isDigit(c) || (ch === '.' && i + 1 < n && isDigit(s.charCodeAt(i + 1)))) {
      let j = i;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      if (s[j] === '.' && j + 1 < n && isDigit(s.charCodeAt(j + 1))) {
        j++;
        while (j < n && isDigit(s.charCodeAt(j))) j++;
      }
      // Scientific notation written by programs: 1.5e3, 2E-4 (a letter e right after digits, then digits).
      const m = (s[j] === 'e' || s[j] === 'E') && !isLetter(s.charCodeAt(j + 1) || 0) ? /^[eE][-+]?\d{1,4}(?![\d.])/.exec(s.slice(j, j + 7)) : null;
      if (m) j += m[0].length;
      out.push({ k: 'num', v: s.slice(i, j) });
      i = j;
    } else if (isLetter(c)) {
      let j = i;
      while (j < n && isLetter(s.charCodeAt(j))) j++;
      letterRun(s.slice(i, j), out);
      i = j;
    } else if (ch === '\\') {
      const next = s[i + 1];
      if (next === undefined) {
        i++;
        continue;
      }
      if (!isLetter(s.charCodeAt(i + 1))) {
        if (next === '{') out.push(shared('open', '\\{'));
        else if (next === '}') out.push(shared('close', '\\}'));
        else if (next === '\\') out.push(shared('op', 'row'));
        else if (next === '|') out.push(shared('op', '|'));
        // other escapes (\, \; \! \_) are spacing or literal punctuation
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < n && isLetter(s.charCodeAt(j))) j++;
      const name = s.slice(i + 1, j);
      i = j;
      if (name === 'begin' || name === 'end') {
        const m = /^\s*\{\s*([a-zA-Z*]+)\s*\}/.exec(s.slice(i, i + 40));
        if (!m) throw new ParseFail(`\\${name} without environment`);
        out.push({ k: 'env', v: m[1], begin: name === 'begin' });
        i += m[0].length;
        continue;
      }
      const tok = commandToken(name);
      if (tok) {
        if (!(tok.k === 'op' && tok.v === 'skip')) out.push(tok);
        continue;
      }
      // \ley (spaces lost by a normaliser upstream): the longest known command prefix, then letters.
      const prefix = COMMAND_NAMES.find((p) => name.startsWith(p) && p.length < name.length);
      if (prefix) {
        out.push(commandToken(prefix) as Tok);
        letterRun(name.slice(prefix.length), out);
        continue;
      }
      out.push({ k: 'word', v: '\\' + name });
    } else if (ch === '(' || ch === '[' || ch === '{') {
      out.push(shared('open', ch));
      i++;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      out.push(shared('close', ch));
      i++;
    } else if (ch === '<' || ch === '>' || ch === '!' || ch === '=') {
      if (s[i + 1] === '=' && ch !== '=') {
        out.push({ k: 'rel', v: ch === '!' ? '!=' : ch + '=' });
        i += 2;
      } else if (ch === '!') {
        out.push({ k: 'op', v: '!' });
        i++;
      } else {
        out.push({ k: 'rel', v: ch });
        i += ch === '=' && s[i + 1] === '=' ? 2 : 1;
      }
    } else if ('+-*/^_,;:&|\''.includes(ch)) {
      out.push(shared('op', ch));
      i++;
    } else {
      out.push({ k: 'word', v: ch });
      i++;
    }
  }
  return out;
}

const CLOSERS: Record<string, string> = { '(': ')]', '[': ')]', '{': '}', '\\{': '\\}' };

/** Removes redundant outer wrappers ((X)) -> (X), {X} -> X, iteratively (no recursion, linear). */
function peel(toks: Tok[], budget: Budget): [number, number] {
  const match = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < toks.length; i++) {
    budget.tick();
    const t = toks[i];
    if (t.k === 'open') stack.push(i);
    else if (t.k === 'close' && stack.length > 0) {
      const o = stack[stack.length - 1];
      if ((CLOSERS[toks[o].v] ?? '').includes(t.v)) {
        stack.pop();
        match[o] = i;
      }
    }
  }
  let a = 0;
  let b = toks.length - 1;
  while (a < b && toks[a].k === 'open' && match[a] === b) {
    const v = toks[a].v;
    const innerWrapped = toks[a + 1].k === 'open' && match[a + 1] === b - 1 && toks[a + 1].v === v;
    if (v === '{' || (v === '(' && toks[b].v === ')' && innerWrapped)) {
      a++;
      b--;
    } else break;
  }
  return [a, b + 1];
}

const MATRIX_ENVS = new Set(['pmatrix', 'bmatrix', 'Bmatrix', 'vmatrix', 'Vmatrix', 'matrix', 'smallmatrix']);

class Parser {
  private depth = 0;
  constructor(private readonly toks: Tok[], private pos: number, private readonly end: number, private readonly budget: Budget) {}

  private peek(): Tok | undefined {
    return this.pos < this.end ? this.toks[this.pos] : undefined;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.k === 'op' && t.v === v;
  }
  private next(): Tok {
    const t = this.peek();
    if (!t) throw new ParseFail('unexpected end');
    this.pos++;
    this.budget.tick();
    return t;
  }
  private enter(): void {
    if (++this.depth > LIMITS.depth) throw new LimitError('nesting depth');
  }
  private leave(): void {
    this.depth--;
  }

  parseTop(): Node {
    if (this.pos >= this.end) throw new ParseFail('empty answer');
    const node = this.parseList();
    if (this.pos < this.end) throw new ParseFail(`unexpected token ${JSON.stringify(this.toks[this.pos].v)}`);
    return node;
  }

  private parseItems(): Node[] {
    const items = [this.parseRel()];
    while (this.isOp(',') || this.isOp(';')) {
      this.next();
      const t = this.peek();
      if (t === undefined || t.k === 'close') break; // trailing comma
      items.push(this.parseRel());
      if (items.length > LIMITS.elements) throw new LimitError('elements');
    }
    return items;
  }

  private parseList(): Node {
    const items = this.parseItems();
    return items.length === 1 ? items[0] : { t: 'list', items };
  }

  private parseRel(): Node {
    const items = [this.parseRatio()];
    const ops: string[] = [];
    for (let t = this.peek(); t !== undefined && t.k === 'rel'; t = this.peek()) {
      this.next();
      ops.push(t.v);
      items.push(this.parseRatio());
    }
    return ops.length === 0 ? items[0] : { t: 'rel', ops, items };
  }

  /** One or more operands parsed by `operand`, separated by the operator `op`. */
  private separatedBy(op: string, operand: () => Node): Node[] {
    const items = [operand()];
    while (this.isOp(op)) {
      this.next();
      items.push(operand());
    }
    return items;
  }

  private parseRatio(): Node {
    const items = this.separatedBy(':', () => this.parseUnion());
    return items.length === 1 ? items[0] : { t: 'ratio', items };
  }

  private parseUnion(): Node {
    const parts = this.separatedBy('cup', () => this.parseSum());
    return parts.length === 1 ? parts[0] : { t: 'union', parts };
  }

  private parseSum(): Node {
    const terms: { s: Sign; n: Node }[] = [{ s: '+', n: this.parseTerm() }];
    for (;;) {
      const t = this.peek();
      if (!t || t.k !== 'op') break;
      const s: Sign | null = t.v === '+' ? '+' : t.v === '-' ? '-' : t.v === 'pm' ? 'pm' : t.v === 'mp' ? 'mp' : null;
      if (!s) break;
      this.next();
      terms.push({ s, n: this.parseTerm() });
    }
    return terms.length === 1 ? terms[0].n : { t: 'sum', terms };
  }

  private startsAtom(t: Tok | undefined): boolean {
    if (!t) return false;
    switch (t.k) {
      case 'num': case 'id': case 'const': case 'fn': case 'cmd': case 'word':
        return true;
      case 'open':
        return t.v === '(' || t.v === '{' || t.v === '\\{';
      case 'env':
        return t.begin;
      default:
        return false;
    }
  }

  private parseTerm(): Node {
    const fs: { inv: boolean; n: Node }[] = [{ inv: false, n: this.parseUnary() }];
    for (;;) {
      const t = this.peek();
      if (t && t.k === 'op' && (t.v === '*' || t.v === '/')) {
        this.next();
        fs.push({ inv: t.v === '/', n: this.parseUnary() });
      } else if (this.startsAtom(t)) {
        const f = this.parsePower();
        const first = fs[0].n;
        // Mixed number: 137 \frac{1}{2} = 137 + 1/2.
        if (fs.length === 1 && first.t === 'num' && !first.lit.includes('.') && t?.k === 'cmd' && t.v === 'frac' && isIntFrac(f)) {
          fs[0] = { inv: false, n: { t: 'sum', terms: [{ s: '+', n: first }, { s: '+', n: f }] } };
        } else fs.push({ inv: false, n: f });
      } else break;
      if (fs.length > LIMITS.elements) throw new LimitError('factors');
    }
    return fs.length === 1 ? fs[0].n : { t: 'prod', fs };
  }

  private parseUnary(): Node {
    const t = this.peek();
    if (t && t.k === 'op' && (t.v === '-' || t.v === '+' || t.v === 'pm' || t.v === 'mp')) {
      this.next();
      this.enter();
      const a = this.parseUnary();
      this.leave();
      if (t.v === '+') return a;
      return t.v === '-' ? { t: 'neg', a } : { t: 'pmu', a };
    }
    return this.parsePower();
  }

  private parsePower(): Node {
    const base = this.parsePostfix();
    const pow = this.powerOf(base);
    return pow ? this.parsePostfixOps(pow) : base;
  }

  /** `base ^ exponent` when a `^` follows (right-associative), else null. */
  private powerOf(base: Node): Node | null {
    if (!this.isOp('^')) return null;
    this.next();
    this.enter();
    const b = this.parseExponent();
    this.leave();
    return { t: 'pow', a: base, b };
  }

  private parseExponent(): Node {
    const t = this.peek();
    if (t && t.k === 'op' && (t.v === '-' || t.v === '+')) {
      this.next();
      const a = this.parseExponent();
      return t.v === '-' ? { t: 'neg', a } : a;
    }
    const base = this.parsePostfix();
    return this.powerOf(base) ?? base;
  }

  private parsePostfix(): Node {
    return this.parsePostfixOps(this.parseAtom());
  }

  private parsePostfixOps(a: Node): Node {
    for (;;) {
      if (this.isOp('!')) {
        this.next();
        a = { t: 'fact', a };
      } else if (this.isOp("'")) {
        this.next();
        if (a.t !== 'var') throw new ParseFail('prime');
        a = { t: 'var', name: a.name + "'" };
      } else if (this.isOp('_')) {
        this.next();
        const sub = this.subscriptText();
        if (a.t === 'var') a = { t: 'var', name: `${a.name}_${sub}` };
        else if (a.t !== 'num') throw new ParseFail('subscript');
        // a numeral's subscript is its base, which the answer does not depend on
      } else return a;
    }
  }

  /** Reads a subscript (one token or a brace group) as flat text, for variable names like a_{10}. */
  private subscriptText(): string {
    const t = this.next();
    if (t.k === 'open' && t.v === '{') {
      let s = '';
      let depth = 1;
      for (;;) {
        const u = this.next();
        if (u.k === 'open') depth++;
        if (u.k === 'close' && --depth === 0) return s;
        s += u.v;
      }
    }
    return t.v;
  }

  /** One argument of \frac / \sqrt / \binom: a brace group, or a single token (\frac12 -> 1, 2). */
  private parseArg(): Node {
    const t = this.peek();
    if (!t) throw new ParseFail('missing argument');
    if (t.k === 'open' && t.v === '{') return this.parseAtom();
    if (t.k === 'num' && t.v.length > 1) {
      this.toks[this.pos] = { k: 'num', v: t.v.slice(1) };
      return { t: 'num', lit: t.v[0] };
    }
    return this.parseAtom();
  }

  private closeWith(allowed: string): string {
    const t = this.next();
    if (t.k !== 'close' || !allowed.includes(t.v)) throw new ParseFail(`expected one of ${allowed}`);
    return t.v;
  }

  private parseAtom(): Node {
    const t = this.next();
    this.enter();
    try {
      switch (t.k) {
        case 'num':
          return { t: 'num', lit: t.v };
        case 'id':
          return { t: 'var', name: t.v };
        case 'const':
          return { t: 'const', name: t.v };
        case 'word':
          return { t: 'text', s: t.v };
        case 'open':
          return this.parseBracket(t.v);
        case 'fn':
          return this.parseFunction(t.v);
        case 'env':
          if (!t.begin || !MATRIX_ENVS.has(t.v)) throw new ParseFail(`environment ${t.v}`);
          return this.parseMatrix(t.v);
        case 'cmd':
          if (t.v === 'frac') {
            const a = this.parseArg();
            const b = this.parseArg();
            return { t: 'prod', fs: [{ inv: false, n: a }, { inv: true, n: b }] };
          }
          if (t.v === 'binom') {
            const a = this.parseArg();
            return { t: 'binom', a, b: this.parseArg() };
          }
          if (t.v === 'empty') return { t: 'seq', open: '{', close: '}', items: [] };
          return this.parseRoot();
        case 'op':
          if (t.v === '|') {
            const a = this.parseSum();
            if (!this.isOp('|')) throw new ParseFail('unclosed |');
            this.next();
            return { t: 'fn', name: 'abs', a, base: null };
          }
          throw new ParseFail(`unexpected ${t.v}`);
        default:
          throw new ParseFail(`unexpected ${t.v}`);
      }
    } finally {
      this.leave();
    }
  }

  private parseBracket(open: string): Node {
    const first = this.peek();
    if (first && first.k === 'close') {
      this.next();
      return open === '{' ? { t: 'empty' } : { t: 'seq', open: open === '\\{' ? '{' : open, close: first.v === '\\}' ? '}' : first.v, items: [] };
    }
    const items = this.parseItems();
    if (open === '{') {
      this.closeWith('}');
      return items.length === 1 ? items[0] : { t: 'list', items };
    }
    if (open === '\\{') {
      this.closeWith('\\}');
      return { t: 'seq', open: '{', close: '}', items };
    }
    const close = this.closeWith(')]');
    if (items.length === 1 && ((open === '(' && close === ')') || (open === '[' && close === ']'))) return items[0];
    return { t: 'seq', open, close, items };
  }

  private parseFunction(name: string): Node {
    let base: Node | null = null;
    let power: Node | null = null;
    for (;;) {
      if (this.isOp('_')) {
        this.next();
        base = this.parseArg();
      } else if (this.isOp('^')) {
        this.next();
        power = this.parseArg();
      } else break;
    }
    const t = this.peek();
    let a: Node;
    if (t && t.k === 'open' && (t.v === '(' || t.v === '{' || t.v === '[')) a = this.parseAtom();
    else a = this.parsePower();
    const call: Node = name === 'sqrt' ? { t: 'root', a, k: null } : { t: 'fn', name, a, base };
    return power ? { t: 'pow', a: call, b: power } : call;
  }

  private parseRoot(): Node {
    let k: Node | null = null;
    const t = this.peek();
    if (t && t.k === 'open' && t.v === '[') {
      this.next();
      k = this.parseSum();
      this.closeWith(']');
    }
    const a = this.parseArg();
    return { t: 'root', a, k };
  }

  private parseMatrix(env: string): Node {
    const rows: Node[][] = [];
    let row: Node[] = [];
    let count = 0;
    for (;;) {
      const t = this.peek();
      if (!t) throw new ParseFail('unclosed matrix');
      if (t.k === 'env' && !t.begin) {
        this.next();
        if (t.v !== env) throw new ParseFail('mismatched \\end');
        if (row.length > 0) rows.push(row);
        break;
      }
      if (t.k === 'op' && t.v === 'row') {
        this.next();
        if (row.length > 0) rows.push(row);
        row = [];
        continue;
      }
      row.push(this.parseRel());
      if (++count > LIMITS.elements) throw new LimitError('matrix size');
      if (this.isOp('&')) this.next();
    }
    if (rows.length === 0) throw new ParseFail('empty matrix');
    return { t: 'matrix', rows };
  }
}

function isIntFrac(n: Node): boolean {
  return (
    n.t === 'prod' && n.fs.length === 2 && n.fs.every((f) => f.n.t === 'num' && !f.n.lit.includes('.')) && !n.fs[0].inv && n.fs[1].inv
  );
}

/** Parses a normalised answer string. Throws ParseFail (not understood) or LimitError (a cap was hit). */
export function parseAnswer(s: string, budget: Budget): Node {
  if (s.length > LIMITS.answerChars) throw new LimitError('answer length');
  const toks = tokenize(s, budget);
  const [a, b] = peel(toks, budget);
  return new Parser(toks, a, b, budget).parseTop();
}
