// Values of scalar expressions: an exact pass (Gaussian rationals, or a proof of irrationality) and a float pass
// (complex doubles at given variable values). Neither materialises huge numbers: exact arithmetic refuses
// results beyond LIMITS.digits and the float pass simply overflows to Infinity.
import type { Node } from './ast';
import { Budget, LIMITS, LimitError } from './limits';
import {
  binomial, cAdd, cDiv, cIsReal, cIsZero, cMul, cNeg, cPowInt, cq, factorial, qFromDecimal, qIsInt, qIsZero, qNeg, qPowInt,
  qRoot, Q0, Q1, type CQ,
} from './rational';

/** The node is not a scalar (a list, interval, relation, text ...). */
export class NotScalar extends Error {
  constructor(what: string) {
    super(`not a scalar: ${what}`);
    this.name = 'NotScalar';
  }
}

/** Exact value, a real number proven irrational, or unknown (variables, functions, caps). */
export type Exact = { k: 'q'; v: CQ } | { k: 'irr' } | { k: 'unk'; limited: boolean };

const UNK: Exact = { k: 'unk', limited: false };
const LIMITED: Exact = { k: 'unk', limited: true };
const IRR: Exact = { k: 'irr' };

function unk(a: Exact, b?: Exact): Exact {
  return (a.k === 'unk' && a.limited) || (b !== undefined && b.k === 'unk' && b.limited) ? LIMITED : UNK;
}

function guarded(f: () => Exact): Exact {
  try {
    return f();
  } catch (e) {
    if (e instanceof LimitError && e.what !== 'deadline') return LIMITED;
    if (e instanceof RangeError) return UNK; // division by zero and the like
    throw e;
  }
}

export function exact(node: Node, budget: Budget): Exact {
  budget.tick();
  switch (node.t) {
    case 'num':
      // A literal longer than the digit cap is never converted (BigInt parsing is quadratic).
      if (node.lit.length > LIMITS.digits) return LIMITED;
      try {
        return { k: 'q', v: cq(qFromDecimal(node.lit)) };
      } catch (e) {
        if (e instanceof LimitError && e.what !== 'deadline') return LIMITED;
        throw e;
      }
    case 'var':
      return UNK;
    case 'const':
      return node.name === 'i' ? { k: 'q', v: cq(Q0, Q1) } : node.name === 'inf' ? UNK : IRR;
    case 'neg': {
      const a = exact(node.a, budget);
      return a.k === 'q' ? { k: 'q', v: cNeg(a.v) } : a;
    }
    case 'sum': {
      let acc: CQ = cq(Q0);
      let irr = 0;
      let worst: Exact | null = null;
      for (const term of node.terms) {
        if (term.s === 'pm' || term.s === 'mp') throw new NotScalar('±');
        const v = exact(term.n, budget);
        if (v.k === 'q') {
          const r = guarded(() => ({ k: 'q', v: term.s === '+' ? cAdd(acc, v.v) : cAdd(acc, cNeg(v.v)) }));
          if (r.k !== 'q') return r;
          acc = r.v;
        } else if (v.k === 'irr') irr++;
        else worst = unk(v, worst ?? undefined);
      }
      if (worst) return worst;
      if (irr === 0) return { k: 'q', v: acc };
      return irr === 1 && cIsReal(acc) ? IRR : UNK;
    }
    case 'prod': {
      let acc: CQ = cq(Q1);
      let irr = 0;
      let worst: Exact | null = null;
      for (const f of node.fs) {
        const v = exact(f.n, budget);
        if (v.k === 'q') {
          if (f.inv && cIsZero(v.v)) return UNK;
          const r = guarded(() => ({ k: 'q', v: f.inv ? cDiv(acc, v.v) : cMul(acc, v.v) }));
          if (r.k !== 'q') return r;
          acc = r.v;
        } else if (v.k === 'irr') irr++;
        else worst = unk(v, worst ?? undefined);
      }
      if (worst) return worst;
      if (irr === 0) return { k: 'q', v: acc };
      if (cIsZero(acc)) return { k: 'q', v: acc };
      return irr === 1 && cIsReal(acc) ? IRR : UNK;
    }
    case 'pow':
      return exactPow(exact(node.a, budget), exact(node.b, budget));
    case 'fact': {
      const a = exact(node.a, budget);
      if (a.k !== 'q') return unk(a);
      if (!cIsReal(a.v) || !qIsInt(a.v.re) || a.v.re.n < 0n) return UNK;
      const n = a.v.re.n;
      return guarded(() => ({ k: 'q', v: cq(factorial(n)) }));
    }
    case 'binom': {
      const a = exact(node.a, budget);
      const b = exact(node.b, budget);
      if (a.k !== 'q' || b.k !== 'q') return unk(a, b);
      if (!cIsReal(a.v) || !cIsReal(b.v) || !qIsInt(a.v.re) || !qIsInt(b.v.re)) return UNK;
      const n = a.v.re.n;
      const k = b.v.re.n;
      return guarded(() => ({ k: 'q', v: cq(binomial(n, k)) }));
    }
    case 'root': {
      const a = exact(node.a, budget);
      let k = 2;
      if (node.k) {
        const kv = exact(node.k, budget);
        if (kv.k !== 'q' || !cIsReal(kv.v) || !qIsInt(kv.v.re) || kv.v.re.n < 1n || kv.v.re.n > 64n) return unk(kv);
        k = Number(kv.v.re.n);
      }
      if (a.k !== 'q') return a.k === 'irr' ? UNK : unk(a);
      if (!cIsReal(a.v)) return UNK;
      const x = a.v.re;
      if (x.n < 0n && k % 2 === 0) {
        if (k !== 2) return UNK;
        const r = guarded(() => {
          const root = qRoot(qNeg(x), 2);
          return root ? { k: 'q', v: cq(Q0, root) } : UNK;
        });
        return r;
      }
      return guarded(() => {
        const root = qRoot(x, k);
        return root ? { k: 'q', v: cq(root) } : IRR;
      });
    }
    case 'fn': {
      if (node.name === 'abs') {
        const a = exact(node.a, budget);
        if (a.k === 'q' && cIsReal(a.v)) return { k: 'q', v: cq(a.v.re.n < 0n ? qNeg(a.v.re) : a.v.re) };
        return a.k === 'irr' ? IRR : unk(a);
      }
      return UNK;
    }
    default:
      throw new NotScalar(node.t);
  }
}

function exactPow(a: Exact, b: Exact): Exact {
  if (b.k !== 'q' || !cIsReal(b.v)) return unk(a, b);
  const e = b.v.re;
  if (a.k === 'irr') return qIsZero(e) ? { k: 'q', v: cq(Q1) } : UNK;
  if (a.k !== 'q') return unk(a);
  if (qIsInt(e)) return guarded(() => ({ k: 'q', v: cPowInt(a.v, e.n) }));
  if (!cIsReal(a.v) || a.v.re.n < 0n || e.d > 64n) return UNK;
  const base = a.v.re;
  return guarded(() => {
    const root = qRoot(base, Number(e.d));
    if (!root) return IRR;
    return { k: 'q', v: cq(qPowInt(root, e.n)) };
  });
}

// ---- float pass ----

export interface C {
  re: number;
  im: number;
}

const NAN: C = { re: NaN, im: NaN };
const c = (re: number, im = 0): C => ({ re, im });

function cmul(a: C, b: C): C {
  return b.im === 0 && a.im === 0 ? c(a.re * b.re) : c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
function cdiv(a: C, b: C): C {
  if (b.im === 0 && a.im === 0) return c(a.re / b.re);
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
function cpow(a: C, b: C): C {
  if (a.im === 0 && b.im === 0 && (a.re >= 0 || Number.isInteger(b.re))) return c(Math.pow(a.re, b.re));
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let r = c(1);
    for (let i = 0; i < Math.abs(b.re); i++) r = cmul(r, a);
    return b.re < 0 ? cdiv(c(1), r) : r;
  }
  if (a.re === 0 && a.im === 0) return c(0);
  const logr = Math.log(Math.hypot(a.re, a.im));
  const th = Math.atan2(a.im, a.re);
  const re = b.re * logr - b.im * th;
  const im = b.im * logr + b.re * th;
  const m = Math.exp(re);
  return c(m * Math.cos(im), m * Math.sin(im));
}

function gammaInt(n: number): number {
  if (!Number.isInteger(n) || n < 0) return NaN;
  if (n > 170) return Infinity;
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

const REAL_FUNCS: Record<string, (x: number) => number> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, sec: (x) => 1 / Math.cos(x), csc: (x) => 1 / Math.sin(x),
  cot: (x) => 1 / Math.tan(x), arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, sinh: Math.sinh, cosh: Math.cosh,
  tanh: Math.tanh, ln: Math.log, lg: Math.log10, exp: Math.exp, abs: Math.abs, floor: Math.floor, ceil: Math.ceil,
  log: Math.log10,
};

/** Float value at the given variable values; NaN when undefined there. */
export function float(node: Node, env: ReadonlyMap<string, number>, budget: Budget): C {
  budget.tick();
  switch (node.t) {
    case 'num':
      return c(Number(node.lit));
    case 'var': {
      const v = env.get(node.name);
      return v === undefined ? NAN : c(v);
    }
    case 'const':
      return node.name === 'pi' ? c(Math.PI) : node.name === 'e' ? c(Math.E) : node.name === 'i' ? c(0, 1) : c(Infinity);
    case 'neg': {
      const a = float(node.a, env, budget);
      return c(-a.re, -a.im);
    }
    case 'sum': {
      let re = 0;
      let im = 0;
      for (const t of node.terms) {
        if (t.s === 'pm' || t.s === 'mp') throw new NotScalar('±');
        const v = float(t.n, env, budget);
        if (t.s === '+') {
          re += v.re;
          im += v.im;
        } else {
          re -= v.re;
          im -= v.im;
        }
      }
      return c(re, im);
    }
    case 'prod': {
      let acc = c(1);
      for (const f of node.fs) {
        const v = float(f.n, env, budget);
        acc = f.inv ? cdiv(acc, v) : cmul(acc, v);
      }
      return acc;
    }
    case 'pow':
      return cpow(float(node.a, env, budget), float(node.b, env, budget));
    case 'fact': {
      const a = float(node.a, env, budget);
      return a.im === 0 ? c(gammaInt(a.re)) : NAN;
    }
    case 'binom': {
      const n = float(node.a, env, budget);
      const k = float(node.b, env, budget);
      if (n.im !== 0 || k.im !== 0) return NAN;
      return c(gammaInt(n.re) / (gammaInt(k.re) * gammaInt(n.re - k.re)));
    }
    case 'root': {
      const a = float(node.a, env, budget);
      const k = node.k ? float(node.k, env, budget).re : 2;
      if (a.im === 0 && a.re < 0 && Number.isInteger(k) && k % 2 === 1) return c(-Math.pow(-a.re, 1 / k));
      return cpow(a, c(1 / k));
    }
    case 'fn': {
      const a = float(node.a, env, budget);
      if (a.im !== 0) return NAN;
      if (node.name === 'log' && node.base) {
        const b = float(node.base, env, budget);
        return c(Math.log(a.re) / Math.log(b.re));
      }
      const f = REAL_FUNCS[node.name];
      return f ? c(f(a.re)) : NAN;
    }
    default:
      throw new NotScalar(node.t);
  }
}

/** The variables a node mentions (for choosing evaluation points). */
export function collectVars(node: Node, out: Set<string>, budget: Budget): void {
  budget.tick();
  switch (node.t) {
    case 'var':
      out.add(node.name);
      return;
    case 'sum':
      for (const t of node.terms) collectVars(t.n, out, budget);
      return;
    case 'prod':
      for (const f of node.fs) collectVars(f.n, out, budget);
      return;
    case 'neg': case 'pmu': case 'fact':
      collectVars(node.a, out, budget);
      return;
    case 'pow': case 'binom':
      collectVars(node.a, out, budget);
      collectVars(node.b, out, budget);
      return;
    case 'root':
      collectVars(node.a, out, budget);
      if (node.k) collectVars(node.k, out, budget);
      return;
    case 'fn':
      collectVars(node.a, out, budget);
      if (node.base) collectVars(node.base, out, budget);
      return;
    case 'seq': case 'list': case 'ratio':
      for (const n of node.items) collectVars(n, out, budget);
      return;
    case 'union':
      for (const n of node.parts) collectVars(n, out, budget);
      return;
    case 'rel':
      for (const n of node.items) collectVars(n, out, budget);
      return;
    case 'matrix':
      for (const r of node.rows) for (const n of r) collectVars(n, out, budget);
      return;
    default:
      return;
  }
}
