// Two patches to tfjs-backend-webgpu 4.22 for Node (Dawn), applied by initBackend.
//
// 1. Host copies of small inputs. The backend reads a GPU tensor synchronously (dataSync)
//    through OffscreenCanvas, which Node lacks, and drops a tensor's host values once it is
//    uploaded, so every sync read of a GPU tensor throws. The library reads GPU results
//    asynchronously (await t.data()); what it still reads synchronously are small inputs the
//    caller built on the host (token ids, masks, positions). Their host copy is kept after
//    upload, so those reads return it. Tensors are immutable: the copy never goes stale.
//
// 2. Shared GPU buffers for scalar constants. Every JS number in an op (tf.mul(x, 0.5)) is a
//    new scalar tensor, and each upload takes a fresh mapped staging buffer, a copy, a break
//    of the compute pass and a buffer destroy. Measured on an H100: 958 us per add of 1M floats
//    with a JS-number operand against 117 us with a scalar already on the GPU, and about 760
//    createBuffer calls per training step of the d256/4-layer organism. Scalars of the same
//    dtype and value now share one 4-byte buffer, made once and marked external, so the
//    backend never releases or reuses it.
import * as tf from '@tensorflow/tfjs';

/** Host copies kept up to this many elements (ids and masks; not weight matrices). */
export const HOST_COPY_MAX_ELEMENTS = 1 << 20;
/** Distinct scalar constants given a shared buffer; later ones upload as usual. */
export const SCALAR_BUFFERS_MAX = 4096;

interface WebgpuTensorData {
  values: ArrayLike<number> | null | undefined;
  dtype: string;
  resource?: unknown;
  external?: boolean;
}
interface GpuBufferLike {
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}
interface WebgpuBackendInternals {
  uploadToGPU(dataId: object): void;
  tensorMap: { get(dataId: object): WebgpuTensorData | undefined };
  device: { createBuffer(d: { size: number; usage: number; mappedAtCreation: boolean }): GpuBufferLike };
}

const patched = new WeakSet<object>();

function isWebgpuBackend(b: unknown): b is WebgpuBackendInternals {
  const x = b as Partial<WebgpuBackendInternals> | null;
  return x !== null && typeof x === 'object' && typeof x.uploadToGPU === 'function'
    && typeof x.tensorMap?.get === 'function' && typeof x.device?.createBuffer === 'function';
}

/** GPUBufferUsage flags, from the globals the `webgpu` package installs. */
function storageUsage(): number | null {
  const u = (globalThis as unknown as { GPUBufferUsage?: { STORAGE: number; COPY_SRC: number; COPY_DST: number } }).GPUBufferUsage;
  return u === undefined ? null : u.STORAGE | u.COPY_SRC | u.COPY_DST;
}

/** The shared buffer holding `value` as `dtype`, or null (not a 4-byte dtype, or the cache is full). */
function scalarBufferSource(backend: WebgpuBackendInternals): (dtype: string, value: number) => GpuBufferLike | null {
  const buffers = new Map<string, GpuBufferLike>();
  const usage = storageUsage();
  return (dtype, value) => {
    if (usage === null || (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool')) return null;
    const key = `${dtype}:${Object.is(value, -0) ? '-0' : String(value)}`;
    let buf = buffers.get(key);
    if (buf === undefined) {
      if (buffers.size >= SCALAR_BUFFERS_MAX) return null;
      buf = backend.device.createBuffer({ size: 4, usage, mappedAtCreation: true });
      const range = buf.getMappedRange();
      if (dtype === 'float32') new Float32Array(range)[0] = value;
      else new Int32Array(range)[0] = value;
      buf.unmap();
      buffers.set(key, buf);
    }
    return buf;
  };
}

/**
 * Applies both patches to `backend` (default: the active one); returns false when it is not
 * tfjs's WebGPU backend (it needs uploadToGPU, tensorMap and device.createBuffer).
 */
export function patchWebgpuBackend(backend: unknown = tf.backend()): boolean {
  if (!isWebgpuBackend(backend)) return false;
  if (patched.has(backend)) return true;
  const upload = backend.uploadToGPU.bind(backend);
  const scalarBuffer = scalarBufferSource(backend);
  backend.uploadToGPU = (dataId: object): void => {
    const d = backend.tensorMap.get(dataId);
    if (d === undefined || d.resource != null || d.values == null) {
      upload(dataId);
      return;
    }
    const values = d.values;
    if (values.length === 1) {
      const shared = scalarBuffer(d.dtype, values[0]);
      if (shared !== null) {
        d.resource = shared;
        d.external = true; // releaseResource leaves external resources alone
        return; // values stay: the host copy
      }
    }
    upload(dataId);
    if (values.length <= HOST_COPY_MAX_ELEMENTS) d.values = values;
  };
  patched.add(backend);
  return true;
}
