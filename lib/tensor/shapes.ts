// Argument checks for the tensor helpers. Each error names the function, the
// argument, what it expected and what it received (style.md §3.6).
import * as tf from '@tensorflow/tfjs';

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Throws unless `x` is a tf.Tensor of dtype `dtype`. */
export function requireTensor(fn: string, arg: string, x: unknown, dtype: tf.DataType): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) {
    const got = Array.isArray(x) ? 'an array' : x === null ? 'null' : typeof x;
    throw new Error(`${fn}: ${arg} must be a tf.Tensor, received ${got}; wrap it with tf.tensor(...)`);
  }
  if (x.isDisposed) throw new Error(`${fn}: ${arg} (shape ${fmtShape(x.shape)}) is already disposed`);
  if (x.dtype !== dtype) {
    throw new Error(`${fn}: ${arg} has dtype ${x.dtype} but ${fn} takes ${dtype}; convert with tf.cast(${arg}, '${dtype}')`);
  }
}

/** Throws unless `x` has rank `rank`; `fix` says what to do instead. */
export function requireRank(fn: string, arg: string, x: tf.Tensor, rank: number, fix: string): void {
  if (x.rank !== rank) throw new Error(`${fn}: ${arg} is ${fmtShape(x.shape)} but ${fn} takes ${rank}-D inputs; ${fix}`);
}

/** Throws unless two dimensions that must agree do. */
export function requireMatch(fn: string, what: string, left: string, l: number, right: string, r: number): void {
  if (l !== r) throw new Error(`${fn}: ${what}: ${left} is ${l} but ${right} is ${r}; they must be equal`);
}
