// Value comparison of two answer strings (LaTeX or plain ASCII): the strict verifier's equivalence test, also
// used by the authors-mode port in place of sympy's simplify(gold - pred) == 0.
import type { Node } from './ast';
import { collectVars, exact, float, NotScalar, type C, type Exact } from './evaluate';
import { Budget, DEFAULT_DEADLINE_MS, LimitError } from './limits';
import { hasGarbageChars, normalizeAnswer } from './normalize';
import { parseAnswer, ParseFail } from './parse';
import { cEq, cIsReal } from './rational';
import { createRng } from '../util';


export type Comparison = 'equal' | 'different' | 'unknown';

/** A comparison with the reason an 'unknown' came about. */
export interface DetailedComparison {
  result: Comparison;
  /** Why the result is 'unknown' (or 'different' because a side could not be read). */
  why?: 'limit_exceeded' | 'unparseable';
  /** The normalised prediction, for display. */
  pred: string;
}

// Evaluation points for expressions with variables: fixed, seeded, away from 0, 1 and small integers.
const POINTS: number[][] = (() => {
  const rng = createRng(20250611);
  return Array.from({ length: 6 }, () => Array.from({ length: 64 }, () => 0.35 + 1.9 * rng.next()));
})();

const REL_TOL = 1e-9;

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= REL_TOL * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

/** null when either value is undefined (NaN) or overflowed (a huge exact value): no evidence either way. */
function closeC(a: C, b: C): boolean | null {
  const finite = Number.isFinite(a.re) && Number.isFinite(a.im) && Number.isFinite(b.re) && Number.isFinite(b.im);
  return finite ? close(a.re, b.re) && close(a.im, b.im) : null;
}

function overflowed(a: C): boolean {
  return a.re === Infinity || a.re === -Infinity || a.im === Infinity || a.im === -Infinity;
}

class Comparer {
  limited = false;
  constructor(private readonly budget: Budget) {}

  // ---- scalars ----

  private scalar(p: Node, g: Node): Comparison {
    const ep = exact(p, this.budget);
    const eg = exact(g, this.budget);
    if (ep.k === 'q' && eg.k === 'q') return cEq(ep.v, eg.v) ? 'equal' : 'different';
    if ((ep.k === 'q' && cIsReal(ep.v) && eg.k === 'irr') || (eg.k === 'q' && cIsReal(eg.v) && ep.k === 'irr')) return 'different';
    if (isLimited(ep) || isLimited(eg)) this.limited = true;
    if (isInfinity(p) || isInfinity(g)) return infinityCompare(p, g);
    return this.floatCompare(p, g);
  }

  private floatCompare(p: Node, g: Node): Comparison {
    const vars = new Set<string>();
    collectVars(p, vars, this.budget);
    collectVars(g, vars, this.budget);
    const names = [...vars].sort();
    if (names.length > 64) return 'unknown';
    let valid = 0;
    for (const point of POINTS) {
      const env = new Map(names.map((n, i) => [n, point[i]]));
      const fp = float(p, env, this.budget);
      const fg = float(g, env, this.budget);
      const r = closeC(fp, fg);
      if (r === null) {
        if (overflowed(fp) || overflowed(fg)) this.limited = true;
        continue;
      }
      if (!r) return 'different';
      valid++;
      if (names.length === 0 || valid >= 3) return 'equal';
    }
    return valid > 0 ? 'equal' : 'unknown';
  }

  // ---- structure ----

  compare(p: Node, g: Node): Comparison {
    this.budget.tick();
    if (p.t === 'num' && g.t === 'num' && p.lit === g.lit) return 'equal'; // fast path (matrices, tuples)
    p = unwrapAssignment(p, g);
    g = unwrapAssignment(g, p);
    if (p.t === 'rel' && g.t === 'rel') return this.relations(p, g);
    if (p.t === 'rel' && isInequality(p) && isIntervalish(g)) return this.compare(inequalityToInterval(p) ?? p, g);
    if (g.t === 'rel' && isInequality(g) && isIntervalish(p)) return this.compare(p, inequalityToInterval(g) ?? g);
    if (p.t === 'rel' || g.t === 'rel') return 'different';
    if (p.t === 'matrix' || g.t === 'matrix') return this.matrices(vectorAsMatrix(p, g), vectorAsMatrix(g, p));
    // A two-part ratio against a number is the quotient: 4:1 = 4, 4:3 = 4/3. Two ratios still compare part by
    // part, so that clock times (2:05 vs 4:10) written like ratios are never equal by proportion.
    if (p.t === 'ratio' && isPlainScalar(g) && p.items.length === 2) return this.compare(quotient(p), g);
    if (g.t === 'ratio' && isPlainScalar(p) && g.items.length === 2) return this.compare(p, quotient(g));
    if (p.t === 'text' && g.t === 'text') return p.s.toLowerCase() === g.s.toLowerCase() ? 'equal' : 'different';
    const cp = collection(p, this.budget);
    const cg = collection(g, this.budget);
    if (cp || cg) return this.collections(cp ?? single(p), cg ?? single(g));
    try {
      return this.scalar(p, g);
    } catch (e) {
      if (e instanceof NotScalar) return 'unknown';
      throw e;
    }
  }

  private relations(p: Extract<Node, { t: 'rel' }>, g: Extract<Node, { t: 'rel' }>): Comparison {
    if (p.ops.length !== g.ops.length) return 'different';
    const n = p.items.length;
    if (p.ops.every((o, i) => o === g.ops[i]) && this.all(p.items.map((x, i) => [x, g.items[i]]))) return 'equal';
    if (p.ops.every((o, i) => o === flip(g.ops[p.ops.length - 1 - i])) && this.all(p.items.map((x, i) => [x, g.items[n - 1 - i]])))
      return 'equal';
    if (p.ops.length === 1 && p.ops[0] === '=' && g.ops[0] === '=') {
      const dp = difference(p.items[0], p.items[1]);
      const dg = difference(g.items[0], g.items[1]);
      if (this.safeScalar(dp, dg) === 'equal' || this.safeScalar(dp, { t: 'neg', a: dg }) === 'equal') return 'equal';
    }
    return 'different';
  }

  private safeScalar(p: Node, g: Node): Comparison {
    try {
      return this.scalar(p, g);
    } catch (e) {
      if (e instanceof NotScalar) return 'unknown';
      throw e;
    }
  }

  private all(pairs: [Node, Node][]): boolean {
    return pairs.every(([a, b]) => this.compare(a, b) === 'equal');
  }

  private matrices(p: Node, g: Node): Comparison {
    if (p.t !== 'matrix' || g.t !== 'matrix') return 'different';
    if (p.rows.length !== g.rows.length || p.rows.some((r, i) => r.length !== g.rows[i].length)) return 'different';
    let unknown = false;
    for (let i = 0; i < p.rows.length; i++)
      for (let j = 0; j < p.rows[i].length; j++) {
        const r = this.compare(p.rows[i][j], g.rows[i][j]);
        if (r === 'different') return 'different';
        if (r === 'unknown') unknown = true;
      }
    return unknown ? 'unknown' : 'equal';
  }

  private collections(p: Coll, g: Coll): Comparison {
    if (p.items.length === 1 && g.items.length === 1 && (!p.ordered || !g.ordered || p.open === g.open)) {
      if (p.kind === 'scalar' || g.kind === 'scalar' || p.kind === g.kind) return this.compare(p.items[0], g.items[0]);
    }
    let ordered: boolean;
    if (p.ordered && g.ordered) {
      if (p.open !== g.open || p.close !== g.close) return 'different';
      ordered = true;
    } else if (!p.ordered && !g.ordered) {
      if ((p.kind === 'union') !== (g.kind === 'union') && p.items.length > 1 && g.items.length > 1) return 'different';
      ordered = false;
    } else {
      // A solution list written as a tuple (or the reverse): only plain parentheses qualify.
      const o = p.ordered ? p : g;
      const u = p.ordered ? g : p;
      if (u.kind !== 'list' || o.open !== '(' || o.close !== ')') return 'different';
      ordered = g.ordered;
    }
    if (p.items.length !== g.items.length) return 'different';
    if (ordered) {
      let unknown = false;
      for (let i = 0; i < p.items.length; i++) {
        const r = this.compare(p.items[i], g.items[i]);
        if (r === 'different') return 'different';
        if (r === 'unknown') unknown = true;
      }
      return unknown ? 'unknown' : 'equal';
    }
    // Unordered: greedy matching (items are few; each gold item is matched once).
    const used = new Array<boolean>(g.items.length).fill(false);
    let unknown = false;
    for (const a of p.items) {
      let found = false;
      for (let j = 0; j < g.items.length && !found; j++) {
        if (used[j]) continue;
        const r = this.compare(a, g.items[j]);
        if (r === 'equal') {
          used[j] = true;
          found = true;
        } else if (r === 'unknown') unknown = true;
      }
      if (!found) return unknown ? 'unknown' : 'different';
    }
    return 'equal';
  }
}

/** Not a collection, relation, matrix, ratio or word: something that evaluates to one number. */
function isPlainScalar(n: Node): boolean {
  return !['seq', 'list', 'union', 'ratio', 'rel', 'matrix', 'text', 'empty'].includes(n.t);
}

function quotient(r: Extract<Node, { t: 'ratio' }>): Node {
  return { t: 'prod', fs: [{ inv: false, n: r.items[0] }, { inv: true, n: r.items[1] }] };
}

/**
 * A tuple written against a vector (a one-column or one-row matrix) as that vector: (1, -2, 3) against
 * \begin{pmatrix} 1 \\ -2 \\ 3 \end{pmatrix}. Parentheses, brackets and \langle...\rangle (parsed as parentheses) qualify.
 */
function vectorAsMatrix(n: Node, other: Node): Node {
  if (n.t !== 'seq' || other.t !== 'matrix' || n.items.length < 2) return n;
  const brackets = (n.open === '(' && n.close === ')') || (n.open === '[' && n.close === ']');
  if (!brackets) return n;
  const column = other.rows.every((r) => r.length === 1);
  return { t: 'matrix', rows: column ? n.items.map((x) => [x]) : [n.items] };
}

function isLimited(e: Exact): boolean {
  return e.k === 'unk' && e.limited;
}

function isInfinity(n: Node): boolean {
  if (n.t === 'const') return n.name === 'inf';
  if (n.t === 'neg' || n.t === 'pmu') return isInfinity(n.a);
  return false;
}

function infinityCompare(p: Node, g: Node): Comparison {
  const sign = (n: Node): number => (n.t === 'neg' ? -sign(n.a) : n.t === 'const' && n.name === 'inf' ? 1 : 0);
  if (!isInfinity(p) || !isInfinity(g)) return 'different';
  return sign(p) === sign(g) ? 'equal' : 'different';
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

function difference(a: Node, b: Node): Node {
  return { t: 'sum', terms: [{ s: '+', n: a }, { s: '-', n: b }] };
}

/**
 * x = 5 against a plain gold reads as 5; so does x \in [a, b]. The left side may also name the quantity as a
 * function value: f(3) = 10, P(E) = 1/8, \cos 0 = 1, \log_8 2 = 1/3 (a last equation stating the result).
 */
function unwrapAssignment(n: Node, other: Node): Node {
  if (n.t !== 'rel' || other.t === 'rel' || n.ops.length !== 1) return n;
  if (n.ops[0] !== '=' && n.ops[0] !== 'in') return n;
  const lhs = n.items[0];
  const named = lhs.t === 'var' || lhs.t === 'fn' || (lhs.t === 'prod' && lhs.fs.length === 2 && !lhs.fs[1].inv && lhs.fs[0].n.t === 'var' && (lhs.fs[1].n.t === 'var' || lhs.fs[1].n.t === 'num'));
  return named ? n.items[1] : n;
}

function isInequality(n: Extract<Node, { t: 'rel' }>): boolean {
  return n.ops.every((o) => o === '<' || o === '<=' || o === '>' || o === '>=');
}

function isIntervalish(n: Node): boolean {
  return n.t === 'seq' || n.t === 'union';
}

/** x > 5 -> (5, \infty); 2 <= x < 7 -> [2, 7). Only for one variable and plain bounds. */
function inequalityToInterval(n: Extract<Node, { t: 'rel' }>): Node | null {
  const inf: Node = { t: 'const', name: 'inf' };
  const ninf: Node = { t: 'neg', a: inf };
  if (n.items.length === 2) {
    let [a, b] = n.items;
    let op = n.ops[0];
    if (b.t === 'var' && a.t !== 'var') {
      [a, b] = [b, a];
      op = flip(op);
    }
    if (a.t !== 'var') return null;
    if (op === '>' || op === '>=') return { t: 'seq', open: op === '>' ? '(' : '[', close: ')', items: [b, inf] };
    return { t: 'seq', open: '(', close: op === '<' ? ')' : ']', items: [ninf, b] };
  }
  if (n.items.length === 3 && n.items[1].t === 'var') {
    const [o1, o2] = n.ops;
    if ((o1 === '<' || o1 === '<=') && (o2 === '<' || o2 === '<='))
      return { t: 'seq', open: o1 === '<' ? '(' : '[', close: o2 === '<' ? ')' : ']', items: [n.items[0], n.items[2]] };
  }
  return null;
}

interface Coll {
  ordered: boolean;
  kind: 'tuple' | 'set' | 'list' | 'union' | 'ratio' | 'scalar';
  open: string;
  close: string;
  items: Node[];
}

function single(n: Node): Coll {
  return { ordered: false, kind: 'scalar', open: '', close: '', items: [n] };
}

/** Number of ± / ∓ signs in a scalar expression. */
function countPm(x: Node, budget: Budget): number {
  budget.tick();
  switch (x.t) {
    case 'sum': {
      let c = 0;
      for (const t of x.terms) c += (t.s === 'pm' || t.s === 'mp' ? 1 : 0) + countPm(t.n, budget);
      return c;
    }
    case 'pmu':
      return 1 + countPm(x.a, budget);
    case 'prod': {
      let c = 0;
      for (const f of x.fs) c += countPm(f.n, budget);
      return c;
    }
    case 'neg': case 'fact': case 'root': case 'fn':
      return countPm(x.a, budget);
    case 'pow': case 'binom':
      return countPm(x.a, budget) + countPm(x.b, budget);
    default:
      return 0;
  }
}

/** The expression with its ± signs chosen by the bits of mask (bit k: k-th sign in visit order is minus). */
function choosePm(x: Node, mask: number, counter: { k: number }): Node {
  switch (x.t) {
    case 'sum':
      return {
        t: 'sum',
        terms: x.terms.map((t) => {
          if (t.s === 'pm' || t.s === 'mp') {
            const plus = ((mask >> counter.k++) & 1) === 0;
            return { s: (t.s === 'pm') === plus ? '+' : '-', n: choosePm(t.n, mask, counter) };
          }
          return { s: t.s, n: choosePm(t.n, mask, counter) };
        }),
      };
    case 'pmu': {
      const plus = ((mask >> counter.k++) & 1) === 0;
      const a = choosePm(x.a, mask, counter);
      return plus ? a : { t: 'neg', a };
    }
    case 'prod':
      return { t: 'prod', fs: x.fs.map((f) => ({ inv: f.inv, n: choosePm(f.n, mask, counter) })) };
    case 'neg':
      return { t: 'neg', a: choosePm(x.a, mask, counter) };
    case 'fact':
      return { t: 'fact', a: choosePm(x.a, mask, counter) };
    case 'pow':
      return { t: 'pow', a: choosePm(x.a, mask, counter), b: choosePm(x.b, mask, counter) };
    case 'binom':
      return { t: 'binom', a: choosePm(x.a, mask, counter), b: choosePm(x.b, mask, counter) };
    case 'root':
      return { t: 'root', a: choosePm(x.a, mask, counter), k: x.k };
    case 'fn':
      return { t: 'fn', name: x.name, a: choosePm(x.a, mask, counter), base: x.base };
    default:
      return x;
  }
}

/** Expands ± into its alternatives (at most 16). */
function expandPm(n: Node, budget: Budget): Node[] {
  const count = countPm(n, budget);
  if (count === 0) return [n];
  if (count > 4) throw new NotScalar('too many ±');
  const out: Node[] = [];
  for (let mask = 0; mask < 1 << count; mask++) out.push(choosePm(n, mask, { k: 0 }));
  return out;
}

function collection(n: Node, budget: Budget): Coll | null {
  switch (n.t) {
    case 'seq':
      return n.open === '{'
        ? { ordered: false, kind: 'set', open: '{', close: '}', items: n.items.flatMap((x) => expandPm(x, budget)) }
        : { ordered: true, kind: 'tuple', open: n.open, close: n.close, items: n.items };
    case 'list':
      return { ordered: false, kind: 'list', open: '', close: '', items: n.items.flatMap((x) => expandPm(x, budget)) };
    case 'union':
      return { ordered: false, kind: 'union', open: '', close: '', items: n.parts };
    case 'ratio':
      return { ordered: true, kind: 'ratio', open: ':', close: ':', items: n.items };
    default: {
      const alts = expandPm(n, budget);
      return alts.length > 1 ? { ordered: false, kind: 'list', open: '', close: '', items: alts } : null;
    }
  }
}

function canonicalString(s: string): string {
  return s.replace(/\s+/g, '').replace(/(?:p|b|B|v|V|small)matrix/g, 'matrix');
}

/** Compares two answers with a budget; 'unknown' carries why. Never throws. */
export function compareDetailed(pred: string, gold: string, budget: Budget): DetailedComparison {
  let np = '';
  try {
    if (hasGarbageChars(pred)) return { result: 'unknown', why: 'unparseable', pred };
    np = normalizeAnswer(pred);
    const ng = normalizeAnswer(gold);
    if (np === '' || ng === '') return { result: np === '' ? 'different' : 'unknown', why: 'unparseable', pred: np };
    if (canonicalString(np) === canonicalString(ng)) return { result: 'equal', pred: np };
    // A multiple-choice gold ("(C)"): the prediction's leading choice letter decides, "(C) 12" included.
    const goldChoice = /^\(?\s*([A-E])\s*\)?$/.exec(ng);
    const predChoice = /^\(\s*([A-E])\s*\)|^([A-E])$/.exec(np);
    if (goldChoice && predChoice) return { result: (predChoice[1] ?? predChoice[2]) === goldChoice[1] ? 'equal' : 'different', pred: np };
    let a: Node;
    let b: Node;
    try {
      a = parseAnswer(np, budget);
      b = parseAnswer(ng, budget);
    } catch (e) {
      if (e instanceof ParseFail) return { result: 'unknown', why: 'unparseable', pred: np };
      throw e;
    }
    const cmp = new Comparer(budget);
    const result = cmp.compare(a, b);
    if (result === 'unknown') return { result, why: cmp.limited ? 'limit_exceeded' : 'unparseable', pred: np };
    return { result, pred: np };
  } catch (e) {
    if (e instanceof LimitError) return { result: 'unknown', why: 'limit_exceeded', pred: np };
    if (e instanceof RangeError) return { result: 'unknown', why: 'limit_exceeded', pred: np }; // stack overflow
    if (e instanceof NotScalar || e instanceof ParseFail) return { result: 'unknown', why: 'unparseable', pred: np };
    return { result: 'unknown', why: 'unparseable', pred: np };
  }
}

/**
 * Value comparison of two answer strings in LaTeX or plain ASCII math, with the strict parser's caps.
 * 'unknown' when either side cannot be read or a cap was hit. Never throws.
 */
export function compareAnswers(pred: string, gold: string, opts: { deadlineMs?: number } = {}): Comparison {
  return compareDetailed(pred, gold, new Budget(opts.deadlineMs ?? DEFAULT_DEADLINE_MS)).result;
}
