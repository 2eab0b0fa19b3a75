// Where a WebGPU training step's time goes: the JS cost of issuing one kernel. Times N
// small element-wise kernels (enqueue, then completion after one read), and the organism's
// gpu-step (d256, 4 layers, batch 32x128), under tfjs-backend-webgpu's submit batch sizes.
//   node --import tsx bench/webgpu-dispatch.ts     (needs the webgpu packages and an adapter)
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../lib/tensor';
import { finishProcess } from '../lib/util';
import { timeGpuStep } from './models';

/** n chained x + 1; `one` null: the JS number 1 (a new scalar uploaded per op), else that kept tensor. */
async function kernels(n: number, size: number, one: tf.Scalar | null = null): Promise<{ enqueueMs: number; totalMs: number }> {
  let x = tf.ones([size]);
  await x.data();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const y = one === null ? tf.add(x, 1) : tf.add(x, one);
    x.dispose();
    x = y;
  }
  const enqueueMs = performance.now() - t0;
  await x.data();
  const totalMs = performance.now() - t0;
  x.dispose();
  return { enqueueMs, totalMs };
}

interface Tally { calls: number; ms: number; bytes: number }
interface DeviceLike { createBuffer(d: { size: number }): unknown }
interface QueueLike { submit(b: unknown[]): void }

/** Wraps the WebGPU device's createBuffer and queue.submit with timers (the backend's own objects). */
function instrument(): { buffers: Tally; submits: Tally; reset(): void } | null {
  const be = tf.backend() as unknown as { device?: DeviceLike; queue?: QueueLike };
  if (be.device === undefined || be.queue === undefined) return null;
  const buffers: Tally = { calls: 0, ms: 0, bytes: 0 };
  const submits: Tally = { calls: 0, ms: 0, bytes: 0 };
  const dev = be.device, queue = be.queue;
  const create = dev.createBuffer.bind(dev), submit = queue.submit.bind(queue);
  dev.createBuffer = (d) => { const t0 = performance.now(); const r = create(d); buffers.ms += performance.now() - t0; buffers.calls++; buffers.bytes += d.size; return r; };
  queue.submit = (b) => { const t0 = performance.now(); submit(b); submits.ms += performance.now() - t0; submits.calls++; };
  return { buffers, submits, reset() { Object.assign(buffers, { calls: 0, ms: 0, bytes: 0 }); Object.assign(submits, { calls: 0, ms: 0, bytes: 0 }); } };
}

function tallies(t: ReturnType<typeof instrument>, per: number, what: string): string {
  if (t === null) return '';
  const b = t.buffers, s = t.submits;
  return `; per ${what}: createBuffer ${(b.calls / per).toFixed(1)} calls ${(b.ms / per).toFixed(2)} ms ${(b.bytes / per / 1e6).toFixed(2)} MB, submit ${(s.calls / per).toFixed(1)} calls ${(s.ms / per).toFixed(2)} ms`;
}

async function main(backend: BackendName): Promise<void> {
  await initBackend({ backend });
  const t = instrument();
  for (const batch of [15, 1000]) {
    if (backend === 'webgpu') tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', batch);
    for (const size of [16, 1 << 20]) {
      await kernels(200, size); // warm-up: pipelines compiled
      t?.reset();
      const r = await kernels(2000, size);
      console.log(`submit batch ${batch}: 2000 adds of ${size} floats: enqueue ${(r.enqueueMs / 2000 * 1000).toFixed(0)} us/kernel, done ${(r.totalMs / 2000 * 1000).toFixed(0)} us/kernel${tallies(t, 2000, 'kernel')}`);
      const one = tf.scalar(1);
      await kernels(200, size, one);
      t?.reset();
      const c = await kernels(2000, size, one);
      console.log(`submit batch ${batch}: 2000 adds of ${size} floats, scalar kept on the GPU: enqueue ${(c.enqueueMs / 2000 * 1000).toFixed(0)} us/kernel, done ${(c.totalMs / 2000 * 1000).toFixed(0)} us/kernel${tallies(t, 2000, 'kernel')}`);
      one.dispose();
    }
    t?.reset();
    const ms = await timeGpuStep(3); // 1 warm-up + 3 timed steps
    console.log(`submit batch ${batch}: gpu-step ${ms.toFixed(0)} ms${tallies(t, 4, 'step (warm-up included)')}`);
    if (backend !== 'webgpu') break;
  }
}

main((process.argv[2] ?? 'webgpu') as BackendName).then(() => finishProcess(0), (err: unknown) => {
  console.error((err as Error).stack ?? err);
  finishProcess(1);
});
