// float32 matmul throughput of the chosen tfjs backend: the 2-D fast path (what mm()
// uses) and the transposed path (what tf.matMul's own gradient uses), next to numpy
// on one thread as the machine's ceiling; on wasm also the attention-shaped bmm and the
// unstack that the kernel patches speed up, patched vs stock. Run once: ~10 s on wasm.
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { bmm, initBackend, patchWasmKernels, unpatchWasmKernels } from '../lib/tensor';

export interface TensorBenchRow {
  /** e.g. "wasm matMul 1024 (2-D fast path)". */
  case: string;
  /** Median GFLOP/s (2·n³ flops per product), null when not measured. */
  gflops: number | null;
  /** Median milliseconds per product, null when not measured. */
  ms: number | null;
  note: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median ms per a × b over `reps` runs (after one warm-up). Each run queues `queued`
 * products and reads the last one back (asynchronously: WebGPU has no sync read under
 * Node), so on a GPU the read-back latency is shared by the queue, not charged to each product.
 */
async function timeMatMul(n: number, transposeB: boolean, reps: number, queued = 1): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2) as tf.Tensor2D;
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const cs = Array.from({ length: queued }, () => tf.matMul(a, b, false, transposeB));
    await cs[cs.length - 1].data(); // forces completion on asynchronous backends
    const ms = (performance.now() - t0) / queued;
    tf.dispose(cs);
    return ms;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await once());
  tf.dispose([a, b]);
  return median(times);
}

const NUMPY_SCRIPT = `
import json, sys, time
import numpy as np
out = {}
for n in (512, 1024):
    rng = np.random.default_rng(1)
    a = rng.random((n, n), dtype=np.float32); b = rng.random((n, n), dtype=np.float32)
    a @ b
    ts = []
    for _ in range(5):
        t0 = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t0)
    out[n] = sorted(ts)[len(ts) // 2] * 1000
json.dump(out, sys.stdout)
`;

/** numpy's median ms per n×n float32 product on one BLAS thread, or why not. */
function numpyTimes(): Record<string, number> | string {
  const one = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync('python3', ['-c', NUMPY_SCRIPT], { encoding: 'utf8', env: { ...process.env, ...one }, timeout: 60_000 });
  if (r.error) return `python3 not runnable: ${r.error.message}`;
  if (r.status !== 0) return `numpy failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  return JSON.parse(r.stdout) as Record<string, number>;
}

const gflops = (n: number, ms: number): number => (2 * n ** 3) / (ms * 1e6);

/** Median ms of `reps` calls of f (after one warm-up); f disposes what it makes. */
function timeMs(f: () => void, reps: number): number {
  f();
  return median(Array.from({ length: reps }, () => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  }));
}

/** Attention-shaped q·kᵀ forward + backward, [32,128,32] x [32,32,128]: bmm vs tf.matMul's batched autodiff. */
function timeAttentionGrad(useBmm: boolean, reps: number): number {
  const q = tf.randomUniform([32, 128, 32], -1, 1, 'float32', 3) as tf.Tensor3D;
  const k = tf.randomUniform([32, 128, 32], -1, 1, 'float32', 4) as tf.Tensor3D;
  const ms = timeMs(() => {
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => (useBmm
      ? bmm(a as tf.Tensor3D, tf.transpose(b, [0, 2, 1]) as tf.Tensor3D) // [32,128,32] x [32,32,128]
      : tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, false, true)))([q, k]);
    grads.forEach((g) => g.dataSync());
    tf.dispose(grads);
  }, reps);
  tf.dispose([q, k]);
  return ms;
}

/** ms to unstack a [128,128,32] tensor along axis 0 (128 outputs). */
function timeUnstack(reps: number): number {
  const x = tf.randomUniform([128, 128, 32], -1, 1, 'float32', 5);
  const ms = timeMs(() => tf.dispose(tf.unstack(x)), reps);
  x.dispose();
  return ms;
}

/** Measures, prints one line per case, and returns the rows. */
export async function run(log: (line: string) => void = console.log): Promise<TensorBenchRow[]> {
  const report = await initBackend();
  const be = report.chosen;
  const rows: TensorBenchRow[] = [];
  const note = `backend ${be}, simd ${report.simd}, threads ${report.threads}`;
  for (const [n, reps] of [[512, 7], [1024, 5]] as const) {
    const ms = await timeMatMul(n, false, reps);
    rows.push({ case: `${be} matMul ${n} (2-D fast path, as in mm)`, gflops: gflops(n, ms), ms, note });
  }
  for (const [n, reps] of [[512, 3], [1024, 3]] as const) {
    const ms = await timeMatMul(n, true, reps);
    rows.push({ case: `${be} matMul ${n} transposeB (slow path, as in tf.matMul's gradient)`, gflops: gflops(n, ms), ms, note });
  }
  if (be === 'webgpu' || be === 'tensorflow') {
    // A GPU's throughput needs bigger products and a queue of them per read-back.
    for (const n of [1024, 4096]) {
      const ms = await timeMatMul(n, false, 3, 16);
      rows.push({ case: `${be} matMul ${n} x16 queued, one read`, gflops: gflops(n, ms), ms, note: `${note}; ms per product` });
    }
  }
  if (be === 'wasm') {
    const wasmNote = 'wasm kernels patched vs stock';
    rows.push({ case: 'wasm bmm q·kᵀ fwd+bwd [32,128,32] (2-D loop, patched kernels)', gflops: null, ms: timeAttentionGrad(true, 3), note: wasmNote });
    rows.push({ case: 'wasm unstack [128,128,32] axis 0 (patched)', gflops: null, ms: timeUnstack(5), note: wasmNote });
    unpatchWasmKernels();
    try {
      rows.push({ case: 'wasm tf.matMul q·kᵀ fwd+bwd [32,128,32] (batched, stock kernels)', gflops: null, ms: timeAttentionGrad(false, 3), note: wasmNote });
      rows.push({ case: 'wasm unstack [128,128,32] axis 0 (stock)', gflops: null, ms: timeUnstack(3), note: wasmNote });
    } finally {
      patchWasmKernels();
    }
  }
  const np = numpyTimes();
  for (const n of [512, 1024]) {
    if (typeof np === 'string') rows.push({ case: `numpy ${n}`, gflops: null, ms: null, note: np });
    else rows.push({ case: `numpy ${n} (1 BLAS thread, ceiling)`, gflops: gflops(n, np[n]), ms: np[n], note: 'python3 + numpy' });
  }
  for (const r of rows) {
    const g = r.gflops === null ? '     -' : r.gflops.toFixed(1).padStart(6);
    const t = r.ms === null ? '      -' : r.ms.toFixed(1).padStart(7);
    log(`${r.case.padEnd(70)} ${g} GFLOP/s ${t} ms  ${r.note}`);
  }
  return rows;
}
