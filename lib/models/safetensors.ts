// safetensors read/write (format: 8-byte little-endian header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}} with optional "__metadata__", then the
// raw little-endian data; offsets are relative to the end of the header). Floats of every
// width are read as float32; writing is float32 only (what the trainable models hold).
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util';

/** One tensor as plain data, row-major. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

/** bf16 is the top half of a float32: shift into place and reinterpret. */
function bf16ToF32(src: Uint8Array): Float32Array {
  const n = src.length / 2;
  const bits = new Uint32Array(n);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  return new Float32Array(bits.buffer);
}

function f16ToF32(src: Uint8Array): Float32Array {
  const n = src.length / 2;
  const out = new Float32Array(n);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < n; i++) {
    const h = view.getUint16(2 * i, true);
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24; // subnormal
    else if (exp === 31) out[i] = frac === 0 ? sign * Infinity : NaN;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

function f32Copy(src: Uint8Array): Float32Array {
  const out = new Float32Array(src.length / 4);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function isEntry(x: unknown): x is HeaderEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.dtype === 'string' && Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
    && Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((d) => Number.isInteger(d));
}

/** Parses safetensors bytes; `file` names the source in errors. `only`: read just these names. */
export function parseSafetensors(bytes: Uint8Array, file: string, only?: ReadonlySet<string>): Map<string, HostTensor> {
  if (bytes.length < 8) throw new Error(`${file}: ${bytes.length} bytes is too short for a safetensors file (8-byte header length)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (8 + headerLen > bytes.length) throw new Error(`${file}: header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: header is not valid JSON (${(err as Error).message})`);
  }
  const dataStart = 8 + headerLen;
  const out = new Map<string, HostTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (only !== undefined && !only.has(name)) continue;
    if (!isEntry(entry)) throw new Error(`${file}: tensor "${name}": header entry needs dtype, shape and data_offsets`);
    const width = BYTES[entry.dtype];
    if (width === undefined) throw new Error(`${file}: tensor "${name}" has dtype ${entry.dtype}; supported: F32, F16, BF16`);
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width) {
      throw new Error(`${file}: tensor "${name}" ${entry.dtype} [${entry.shape.join(',')}] needs ${count * width} bytes but data_offsets span ${end - begin}`);
    }
    if (begin < 0 || dataStart + end > bytes.length) throw new Error(`${file}: tensor "${name}" data_offsets [${begin}, ${end}] run past the end of the file`);
    const raw = bytes.subarray(dataStart + begin, dataStart + end);
    const data = entry.dtype === 'BF16' ? bf16ToF32(raw) : entry.dtype === 'F16' ? f16ToF32(raw) : f32Copy(raw);
    out.set(name, { shape: [...entry.shape], data });
  }
  return out;
}

export function readSafetensors(file: string, only?: ReadonlySet<string>): Map<string, HostTensor> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  return parseSafetensors(bytes, file, only);
}

/** Serialises float32 tensors (in the given order) with optional string metadata. */
export function serializeSafetensors(tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`serializeSafetensors: tensor "${name}" has shape [${t.shape.join(',')}] but ${t.data.length} values`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // keep the data 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + 4 * i, t.data[i], true);
    pos += 4 * t.data.length;
  }
  return out;
}

/** Writes a float32 safetensors file atomically. */
export function writeSafetensors(file: string, tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(file, serializeSafetensors(tensors, metadata));
}
