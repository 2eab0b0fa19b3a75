// Replacement wasm kernels for the copies that tfjs-backend-wasm 4.22 makes
// (shared/notes/ts-stack.md §1.4, items 2 and 3):
//  - Slice, SplitV and Unpack call backend.readSync(x), which copies the WHOLE input
//    out of the heap for every output (1.4 ms per row slice of [128,128,32]). These
//    read through a heap view instead and copy only the requested box.
//  - Identity and same-dtype Cast copy the buffer. These share it with incRef, as the
//    wasm Reshape kernel and the cpu backend already do (tensors are immutable).
// Two wrong answers found while testing, fixed here too:
//  - Cast to bool wraps instead of testing != 0 (0.5 → false, 2 → 2, 256 → false).
//  - OneHot ignores its dtype: float32 output holds int32 bits (1 reads as 1.4e-45),
//    and non-integer on/off values are truncated.
// Two slow ones, replaced by copies through heap views (issue 9, organism rollout batch):
//  - GatherV2 runs a generic strided C++ loop: gathering 7,168 rows of a [25,64] embedding
//    table took 47 ms, a [1024,896] → 374-row KV-cache compaction 12 ms (both ~0.5 ms here).
//  - Concat copies each row of each input with a fresh subarray + set: 4 ms to append one
//    position to a [4096,13,16] cache tail (short rows are now copied by a plain loop).
// String tensors and other dtype changes go to the stock kernels.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { copyBox, type NumericArray } from './copy-box';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type KernelOut = ReturnType<tf.KernelFunc>;

const PATCHED = ['Slice', 'SplitV', 'Unpack', 'Identity', 'Cast', 'OneHot', 'GatherV2', 'Concat'] as const;
type PatchedKernel = (typeof PATCHED)[number];

/** The stock wasm kernels, kept so patched kernels can delegate and unpatch can restore. */
const stock = new Map<PatchedKernel, tf.KernelConfig>();

function stockConfig(name: PatchedKernel): tf.KernelConfig {
  const config = stock.get(name);
  if (config === undefined) throw new Error(`wasm kernel patch: stock ${name} kernel was not saved`);
  return config;
}

function stockKernel(name: PatchedKernel): tf.KernelFunc {
  return stockConfig(name).kernelFunc;
}

function wasmOf(args: KernelArgs): BackendWasm {
  return args.backend as BackendWasm;
}

function heapView(backend: BackendWasm, t: tf.TensorInfo): NumericArray {
  return backend.typedArrayFromHeap(t) as NumericArray;
}

/**
 * Allocates one output per box, THEN takes heap views: makeOutput can grow the wasm
 * memory, which detaches every view taken before it.
 */
function sliceBoxes(
  backend: BackendWasm, x: tf.TensorInfo, boxes: ReadonlyArray<{ begin: number[]; size: number[]; outShape: number[] }>,
): tf.TensorInfo[] {
  const outs = boxes.map((b) => backend.makeOutput(b.outShape, x.dtype));
  const src = heapView(backend, x);
  boxes.forEach((b, i) => {
    if (tf.util.sizeFromShape(b.size) > 0) copyBox(src, x.shape, b.begin, b.size, heapView(backend, outs[i]));
  });
  return outs;
}

function slice(args: KernelArgs): KernelOut {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return stockKernel('Slice')(args);
  const attrs = args.attrs as unknown as tf.SliceAttrs;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
  return sliceBoxes(wasmOf(args), x, [{ begin, size, outShape: size }])[0];
}

function splitV(args: KernelArgs): KernelOut {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return stockKernel('SplitV')(args);
  const attrs = args.attrs as unknown as tf.SplitVAttrs;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits, axis);
  let offset = 0;
  const boxes = sizes.map((s) => {
    const begin = x.shape.map((_, i) => (i === axis ? offset : 0));
    const size = x.shape.map((d, i) => (i === axis ? s : d));
    offset += s;
    return { begin, size, outShape: size };
  });
  return sliceBoxes(wasmOf(args), x, boxes);
}

function unpack(args: KernelArgs): KernelOut {
  const x = args.inputs.value as tf.TensorInfo;
  if (x.dtype === 'string') return stockKernel('Unpack')(args);
  const attrs = args.attrs as unknown as tf.UnpackAttrs;
  const axis = attrs.axis < 0 ? attrs.axis + x.shape.length : attrs.axis;
  const outShape = x.shape.filter((_, i) => i !== axis);
  const size = x.shape.map((d, i) => (i === axis ? 1 : d));
  const boxes = Array.from({ length: x.shape[axis] }, (_, k) => ({
    begin: x.shape.map((_, i) => (i === axis ? k : 0)),
    size,
    outShape,
  }));
  return sliceBoxes(wasmOf(args), x, boxes);
}

/** Shares x's buffer: one more reference instead of a copy. */
function shareBuffer(args: KernelArgs, x: tf.TensorInfo): tf.TensorInfo {
  wasmOf(args).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

function identity(args: KernelArgs): KernelOut {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return stockKernel('Identity')(args);
  return shareBuffer(args, x);
}

function cast(args: KernelArgs): KernelOut {
  const x = args.inputs.x as tf.TensorInfo;
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  if (x.dtype === 'string') return stockKernel('Cast')(args);
  if (dtype === x.dtype) return shareBuffer(args, x);
  if (dtype !== 'bool') return stockKernel('Cast')(args);
  // To bool: nonzero (NaN included) is true, as on the cpu backend.
  const backend = wasmOf(args);
  const out = backend.makeOutput(x.shape, 'bool');
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  return out;
}

/** One-hot in JS for every dtype and on/off value; indices outside [0, depth) give an all-off row. */
function oneHot(args: KernelArgs): KernelOut {
  const indices = args.inputs.indices as tf.TensorInfo;
  const { depth, onValue, offValue, dtype } = args.attrs as unknown as tf.OneHotAttrs;
  const backend = wasmOf(args);
  const out = backend.makeOutput([...indices.shape, depth], dtype);
  const idx = heapView(backend, indices);
  const dst = heapView(backend, out);
  dst.fill(offValue);
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i];
    if (k >= 0 && k < depth) dst[i * depth + k] = onValue;
  }
  return out;
}

/** Copies n values src[from..from+n) to dst[to..): a plain loop for short runs (a subarray costs more than it saves), set() for long ones. */
function copyRun(src: NumericArray, from: number, dst: NumericArray, to: number, n: number): void {
  if (n >= 64) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
}

/** Gather along one axis (batchDims 0) by copying runs through heap views; out-of-range indices are an error, as in the stock kernel. */
function gatherV2(args: KernelArgs): KernelOut {
  const x = args.inputs.x as tf.TensorInfo;
  const indices = args.inputs.indices as tf.TensorInfo;
  const attrs = args.attrs as unknown as tf.GatherV2Attrs;
  if (x.dtype === 'string' || (attrs.batchDims ?? 0) !== 0) return stockKernel('GatherV2')(args);
  const backend = wasmOf(args);
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const dim = x.shape[axis];
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const n = tf.util.sizeFromShape(indices.shape);
  const idx = Array.from(heapView(backend, indices));
  idx.forEach((k) => {
    if (!(k >= 0 && k <= dim - 1)) throw new Error(`GatherV2: the index value ${k} is not in [0, ${dim - 1}]`);
  });
  const out = backend.makeOutput([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], x.dtype);
  if (outer * n * inner === 0) return out;
  const src = heapView(backend, x); // views after makeOutput, which can grow the heap
  const dst = heapView(backend, out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) copyRun(src, (o * dim + idx[j]) * inner, dst, (o * n + j) * inner, inner);
  }
  return out;
}

/** Concat of numeric tensors: per leading index, each input's run copied in turn. */
function concat(args: KernelArgs): KernelOut {
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  if (inputs.length === 0 || inputs[0].dtype === 'string') return stockKernel('Concat')(args);
  const { axis: rawAxis } = args.attrs as unknown as tf.ConcatAttrs;
  const axis = tf.util.parseAxisParam(rawAxis, inputs[0].shape)[0];
  const shapes = inputs.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  const outShape = tf.backend_util.computeOutShape(shapes, axis);
  const live = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
  if (live.length <= 1) return stockKernel('Concat')(args);
  const backend = wasmOf(args);
  const out = backend.makeOutput(outShape, inputs[0].dtype);
  const batch = tf.util.sizeFromShape(outShape.slice(0, axis));
  const inners = live.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
  const total = inners.reduce((a, b) => a + b, 0);
  const srcs = live.map((t) => heapView(backend, t)); // views after makeOutput
  const dst = heapView(backend, out);
  for (let b = 0; b < batch; b++) {
    let to = b * total;
    for (let i = 0; i < srcs.length; i++) {
      copyRun(srcs[i], b * inners[i], dst, to, inners[i]);
      to += inners[i];
    }
  }
  return out;
}

const PATCHES: Record<PatchedKernel, tf.KernelFunc> = {
  Slice: slice,
  SplitV: splitV,
  Unpack: unpack,
  Identity: identity,
  Cast: cast,
  OneHot: oneHot,
  GatherV2: gatherV2,
  Concat: concat,
};

let patched = false;

/** Whether the replacement kernels are registered for 'wasm' right now. */
export function wasmKernelsPatched(): boolean {
  return patched;
}

/**
 * Registers the replacement Slice/SplitV/Unpack/Identity/Cast/OneHot/GatherV2/Concat kernels for 'wasm'.
 * Idempotent. Needs an initialised wasm backend: stock kernels set themselves up at init.
 */
export function patchWasmKernels(): void {
  if (patched) return;
  if (!('wasm' in tf.engine().registry)) { // (tf.findBackend would start initialising it)
    throw new Error(`patchWasmKernels: the wasm backend is not initialised; call initBackend({ backend: 'wasm' }) first`);
  }
  for (const name of PATCHED) {
    const config = tf.getKernel(name, 'wasm');
    if (config === undefined) {
      throw new Error(`patchWasmKernels: no stock '${name}' kernel for 'wasm'; import @tensorflow/tfjs-backend-wasm first`);
    }
    stock.set(name, config);
  }
  for (const name of PATCHED) {
    tf.unregisterKernel(name, 'wasm');
    // A fresh config: these kernels need no wasm setup (stock OneHot's setup already ran at init).
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: PATCHES[name] });
  }
  patched = true;
}

/** Puts the stock kernels back (for ablations and for tests that compare both). Idempotent. */
export function unpatchWasmKernels(): void {
  if (!patched) return;
  for (const name of PATCHED) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(stockConfig(name));
  }
  patched = false;
}
