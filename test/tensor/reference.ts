// Plain-JS references for the tensor tests: element-by-element index maths, written
// independently of lib/tensor's copyBox, plus seeded random shapes and values.
import type { Rng } from '../../lib/util';

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** The box begin..begin+size of a row-major tensor, one element at a time. */
export function naiveSlice(values: ArrayLike<number>, shape: readonly number[], begin: readonly number[], size: readonly number[]): number[] {
  const out: number[] = [];
  const strides = stridesOf(shape);
  const n = sizeOf(size);
  const outStrides = stridesOf(size);
  for (let flat = 0; flat < n; flat++) {
    let src = 0;
    for (let d = 0; d < shape.length; d++) {
      const coord = Math.floor(flat / outStrides[d]) % size[d];
      src += (begin[d] + coord) * strides[d];
    }
    out.push(values[src]);
  }
  return out;
}

/** A random shape of the given rank with dims in [1, maxDim]. */
export function randomShape(rng: Rng, rank: number, maxDim: number): number[] {
  return Array.from({ length: rank }, () => 1 + rng.int(maxDim));
}

/** A random box inside `shape` (sizes may be 0 when allowEmpty). */
export function randomBox(rng: Rng, shape: readonly number[], allowEmpty = false): { begin: number[]; size: number[] } {
  const begin: number[] = [];
  const size: number[] = [];
  for (const d of shape) {
    const b = rng.int(d);
    begin.push(b);
    const maxSize = d - b;
    size.push(allowEmpty && rng.int(10) === 0 ? 0 : 1 + rng.int(maxSize));
  }
  return { begin, size };
}

/** Seeded normal-ish floats (sum of uniforms) as a plain array. */
export function randomValues(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next() + rng.next() + rng.next() - 1.5);
}

/** Largest |a - b| over two equal-length arrays; throws on a length mismatch. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
