// One probe per backend: can it run here, and if not, why not. A probe makes the
// backend registrable (imports, wasm paths) but does not switch to it.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { markGpuInstanceLive } from '../util';
import { importOptional, nodeRequire } from './node-require';

/** The backends initBackend can choose, best first. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export type Probe = { ok: true } | { ok: false; why: string };

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** The package name at the path `spec` resolves to, or null when it is not installed. */
function installedName(spec: string): string | null {
  try {
    const pkg: unknown = JSON.parse(readFileSync(nodeRequire.resolve(`${spec}/package.json`), 'utf8'));
    const p = pkg as { name?: unknown; version?: unknown };
    return `${String(p.name)}@${String(p.version)}`;
  } catch {
    return null;
  }
}

/**
 * tfjs-node(-gpu), only when it is the real native binding. This project's package.json
 * overrides @tensorflow/tfjs-node to plain tfjs (for danfojs), so an import that resolves
 * proves nothing; check the package's own name, then that 'tensorflow' registers.
 */
async function probeTensorflow(): Promise<Probe> {
  const whys: string[] = [];
  for (const spec of NATIVE_PACKAGES) {
    const name = installedName(spec);
    if (name === null) {
      whys.push(`${spec} is not installed`);
      continue;
    }
    if (!name.startsWith(`${spec}@`)) {
      whys.push(`${spec} resolves to ${name} (a package.json override), not the native binding`);
      continue;
    }
    const loaded = await importOptional(spec);
    if ('why' in loaded) {
      whys.push(loaded.why);
      continue;
    }
    if (tf.findBackendFactory('tensorflow') == null) {
      whys.push(`${spec} loaded but registered no 'tensorflow' backend`);
      continue;
    }
    return { ok: true };
  }
  return { ok: false, why: whys.join('; ') };
}

interface DawnModule {
  create(flags: string[]): { requestAdapter(opts?: object): Promise<object | null> };
  globals: Record<string, unknown>;
}

/**
 * Dawn's instance flags from $RLVR_WEBGPU_FLAGS, separated by ';' (a flag's value may hold
 * commas), e.g. `backend=vulkan;enable-dawn-features=allow_unsafe_apis`; none by default.
 */
export function dawnFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.RLVR_WEBGPU_FLAGS ?? '').split(';').map((f) => f.trim()).filter((f) => f !== '');
}

/**
 * WebGPU through the optional `webgpu` package (Dawn) and @tensorflow/tfjs-backend-webgpu.
 * The tfjs backend registers itself at import only if navigator.gpu exists, so the
 * adapter check and the navigator shim come first. Untested on a machine with an adapter.
 */
async function probeWebgpu(): Promise<Probe> {
  const dawn = await importOptional('webgpu');
  if ('why' in dawn) return { ok: false, why: `${dawn.why} (npm i webgpu @tensorflow/tfjs-backend-webgpu)` };
  const mod = dawn.module as Partial<DawnModule> & { default?: Partial<DawnModule> };
  const api = typeof mod.create === 'function' ? mod : mod.default;
  if (api === undefined || typeof api.create !== 'function') {
    return { ok: false, why: `'webgpu' has no create() export; this version is not supported` };
  }
  let adapter: object | null;
  const gpu = api.create(dawnFlags());
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { ok: false, why: `webgpu requestAdapter() failed: ${(err as Error).message}` };
  }
  // Without an adapter, hold no reference to Dawn: a live instance keeps node from exiting.
  if (adapter === null) return { ok: false, why: 'webgpu found no GPU adapter (requestAdapter() returned null)' };
  markGpuInstanceLive();
  Object.assign(globalThis, api.globals ?? {});
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator === undefined) g.navigator = { gpu };
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const backend = await importOptional('@tensorflow/tfjs-backend-webgpu');
  if ('why' in backend) return { ok: false, why: backend.why };
  if (tf.findBackendFactory('webgpu') == null) {
    return { ok: false, why: `@tensorflow/tfjs-backend-webgpu loaded but registered no 'webgpu' backend` };
  }
  return { ok: true };
}

let wasmPathsSet = false;

/** wasm: point it at the package's dist folder (the .wasm files load from disk through fs). */
async function probeWasm(): Promise<Probe> {
  if (!wasmPathsSet) {
    try {
      const main = nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'); // <pkg>/dist/tf-backend-wasm.node.js
      setWasmPaths(join(dirname(main), '/'));
    } catch (err) {
      return { ok: false, why: `could not locate the tfjs-backend-wasm binaries: ${(err as Error).message}` };
    }
    wasmPathsSet = true;
  }
  return { ok: true };
}

const PROBES: Record<BackendName, () => Promise<Probe>> = {
  tensorflow: probeTensorflow,
  webgpu: probeWebgpu,
  wasm: probeWasm,
  cpu: async () => ({ ok: true }),
};

const cache = new Map<BackendName, Promise<Probe>>();

/** Probes once per process; later calls return the first answer. */
export function probe(name: BackendName): Promise<Probe> {
  let p = cache.get(name);
  if (p === undefined) {
    p = PROBES[name]().catch((err: unknown) => ({ ok: false as const, why: `probe failed: ${(err as Error).message}` }));
    cache.set(name, p);
  }
  return p;
}
