// The syntax tree of a parsed answer. Sums and products are n-ary so that long chains stay shallow.

export type Sign = '+' | '-' | 'pm' | 'mp';

export type Node =
  | { t: 'num'; lit: string }
  | { t: 'var'; name: string }
  | { t: 'const'; name: 'pi' | 'e' | 'i' | 'inf' }
  | { t: 'text'; s: string }
  | { t: 'empty' }
  | { t: 'sum'; terms: { s: Sign; n: Node }[] }
  | { t: 'prod'; fs: { inv: boolean; n: Node }[] }
  | { t: 'neg'; a: Node }
  /** Unary ± a: the two values a and -a. */
  | { t: 'pmu'; a: Node }
  | { t: 'pow'; a: Node; b: Node }
  | { t: 'fact'; a: Node }
  | { t: 'binom'; a: Node; b: Node }
  | { t: 'root'; a: Node; k: Node | null }
  | { t: 'fn'; name: string; a: Node; base: Node | null }
  /** A bracketed list: tuples and intervals keep their bracket characters; sets use '{' '}'. */
  | { t: 'seq'; open: string; close: string; items: Node[] }
  /** A bare comma list (solution list). */
  | { t: 'list'; items: Node[] }
  | { t: 'union'; parts: Node[] }
  | { t: 'ratio'; items: Node[] }
  | { t: 'rel'; ops: string[]; items: Node[] }
  | { t: 'matrix'; rows: Node[][] };
