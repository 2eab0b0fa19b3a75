// Copies an axis-aligned box out of a row-major array: the memory walk behind the
// patched Slice/SplitV/Unpack kernels. Pure JS over typed arrays, so it works on
// views into the wasm heap without first copying the whole input out.

/** Any typed array a tfjs backend stores numbers in. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** Below this many elements a plain loop beats `set(subarray(..))` (which allocates a view). */
const SHORT_RUN = 16;

/**
 * Writes `src[begin : begin + size]` (a box in a tensor of shape `shape`) into `dst`
 * in row-major order. Trusts its input: begin/size must lie inside shape and dst
 * must hold prod(size) elements (the kernels check through tfjs's slice_util first).
 */
export function copyBox(
  src: NumericArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: NumericArray,
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  for (let i = 0; i < rank; i++) if (size[i] === 0) return;

  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];

  // Trailing axes the box spans fully are contiguous in memory: merge them (and the
  // first partial axis before them) into one run, so each run is one copy.
  let axis = rank - 1;
  let run = size[axis];
  while (axis > 0 && size[axis] === shape[axis]) {
    axis--;
    run *= size[axis];
  }
  // Axes before `axis` are walked with an odometer; `axis` itself starts at begin[axis].
  let srcStart = 0;
  for (let i = 0; i <= axis; i++) srcStart += begin[i] * strides[i];
  const outer = axis; // number of odometer axes
  const idx = new Array<number>(outer).fill(0);
  let dstPos = 0;
  for (;;) {
    if (run < SHORT_RUN) {
      for (let k = 0; k < run; k++) dst[dstPos + k] = src[srcStart + k];
    } else {
      dst.set(src.subarray(srcStart, srcStart + run), dstPos);
    }
    dstPos += run;
    // Advance the odometer over axes outer-1 .. 0.
    let a = outer - 1;
    while (a >= 0) {
      idx[a]++;
      srcStart += strides[a];
      if (idx[a] < size[a]) break;
      srcStart -= idx[a] * strides[a];
      idx[a] = 0;
      a--;
    }
    if (a < 0) return;
  }
}
