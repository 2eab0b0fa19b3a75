// initBackend(): picks the fastest tfjs backend this machine can run, applies the wasm
// workarounds when wasm wins, and says why every other backend was not chosen.
// Order, best first: native tfjs-node(-gpu), WebGPU (Dawn), wasm (SIMD, 1 thread), cpu.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { closestName } from '../util';
import { probe, type BackendName } from './probes';
import { patchWasmKernels, wasmKernelsPatched } from './wasm-kernels';
import { patchWebgpuBackend } from './webgpu-patches';

export type { BackendName } from './probes';

/** Every backend initBackend knows, best first: the default order. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Environment variable that forces a backend (the `backend` option wins over it). */
export const BACKEND_ENV_VAR = 'RLVR_BACKEND';

export interface InitBackendOptions {
  /** Use exactly this backend; an error (naming why) if it cannot run. Default: $RLVR_BACKEND, else auto. */
  backend?: BackendName;
  /** Candidates to try, best first. Default: BACKEND_NAMES. */
  order?: readonly BackendName[];
}

export interface BackendReport {
  /** The backend tfjs now runs on. */
  chosen: BackendName;
  /** Who forced it: the `backend` option, the RLVR_BACKEND variable, or null (auto). */
  forcedBy: 'option' | 'env' | null;
  /** For each backend not chosen: why not. */
  reasons: Partial<Record<BackendName, string>>;
  /** wasm: SIMD build in use; cpu: false (plain JS); null where it does not apply. */
  simd: boolean | null;
  /** Threads the kernels use (wasm in Node: always 1); null where tfjs does not say. */
  threads: number | null;
  /** Whether the wasm Slice/SplitV/Unpack/Identity/Cast/OneHot/GatherV2/Concat replacements are registered. */
  wasmKernelsPatched: boolean;
}

function checkName(name: string, where: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  const near = closestName(name, BACKEND_NAMES);
  const hint = near === undefined ? '' : ` (did you mean '${near}'?)`;
  throw new Error(`initBackend: ${where} is '${name}'${hint}; known backends: ${BACKEND_NAMES.join(', ')}`);
}

/** The forced backend and who forced it, or null for automatic choice. */
function forcedBackend(opts: InitBackendOptions): { name: BackendName; by: 'option' | 'env' } | null {
  if (opts.backend !== undefined) return { name: checkName(opts.backend, 'option backend'), by: 'option' };
  const env = process.env[BACKEND_ENV_VAR]?.trim();
  if (env) return { name: checkName(env, `$${BACKEND_ENV_VAR}`), by: 'env' };
  return null;
}

/** The cpu backend prints a "install tfjs-node" banner to stderr on its first write; notebook tests fail on stderr. */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') {
    cpu.firstUse = false; // MathBackendCPU warns once, when firstUse is true (tfjs-backend-cpu 4.22)
  } else {
    tf.env().set('PROD', true); // fallback: PROD silences tfjs's own warn()/log(), the banner included
  }
}

/** Switches tfjs to `name`; returns why not on failure. */
async function activate(name: BackendName): Promise<string | null> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    return `initialisation failed: ${(err as Error).message}`;
  }
  if (!ok || tf.getBackend() !== name) return 'initialisation failed (tf.setBackend returned false)';
  await tf.ready();
  if (name === 'wasm') patchWasmKernels();
  if (name === 'webgpu') patchWebgpuBackend();
  if (name === 'cpu') silenceCpuBanner();
  return null;
}

async function describe(
  chosen: BackendName, forcedBy: BackendReport['forcedBy'], reasons: BackendReport['reasons'],
): Promise<BackendReport> {
  let simd: boolean | null = null;
  let threads: number | null = null;
  if (chosen === 'wasm') {
    simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    threads = getThreadsCount();
  } else if (chosen === 'cpu') {
    simd = false;
    threads = 1;
  }
  return { chosen, forcedBy, reasons, simd, threads, wasmKernelsPatched: wasmKernelsPatched() };
}

async function choose(opts: InitBackendOptions): Promise<BackendReport> {
  const forced = forcedBackend(opts);
  const reasons: BackendReport['reasons'] = {};
  if (forced !== null) {
    const source = forced.by === 'option' ? 'the backend option' : `$${BACKEND_ENV_VAR}`;
    const p = await probe(forced.name);
    const why = 'why' in p ? p.why : await activate(forced.name);
    if (why !== null) throw new Error(`initBackend: backend '${forced.name}' was forced by ${source} but cannot run: ${why}`);
    for (const n of BACKEND_NAMES) if (n !== forced.name) reasons[n] = `not tried: ${source} forced '${forced.name}'`;
    return describe(forced.name, forced.by, reasons);
  }

  const order = (opts.order ?? BACKEND_NAMES).map((n) => checkName(n, 'an entry of option order'));
  if (order.length === 0) throw new Error(`initBackend: option order is empty; list backends from ${BACKEND_NAMES.join(', ')}`);
  let chosen: BackendName | null = null;
  for (const name of order) {
    if (chosen !== null) {
      reasons[name] = `not tried: '${chosen}' comes first in the order`;
      continue;
    }
    const p = await probe(name);
    const why = 'why' in p ? p.why : await activate(name);
    if (why === null) chosen = name;
    else reasons[name] = why;
  }
  for (const n of BACKEND_NAMES) if (!order.includes(n)) reasons[n] = 'not in option order';
  if (chosen === null) {
    const lines = order.map((n) => `${n}: ${reasons[n]}`).join('; ');
    throw new Error(`initBackend: no backend in the order could run (${lines})`);
  }
  return describe(chosen, null, reasons);
}

let last: { key: string; report: BackendReport } | null = null;

/**
 * Picks and activates a tfjs backend. Forcing (option `backend`, else $RLVR_BACKEND)
 * runs exactly that backend or throws an error naming why it cannot. When wasm is
 * chosen, its Slice/SplitV/Unpack/Identity/Cast/OneHot/GatherV2/Concat kernels are replaced (see wasm-kernels.ts).
 * A second call with the same request returns the same report without re-probing.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendReport> {
  const key = JSON.stringify([opts.backend ?? null, opts.order ?? null, process.env[BACKEND_ENV_VAR] ?? null]);
  if (last !== null && last.key === key && tf.getBackend() === last.report.chosen) return last.report;
  const report = await choose(opts);
  last = { key, report };
  return report;
}
