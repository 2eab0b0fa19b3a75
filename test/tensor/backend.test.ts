// initBackend: automatic choice with reasons, forcing by option and by $RLVR_BACKEND,
// clear errors for unavailable or unknown backends, idempotence, and a quiet stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_ENV_VAR, initBackend } from '../../lib/tensor';

/** Runs `f` with $RLVR_BACKEND set to `value` (or unset), restoring it afterwards. */
async function withEnv<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const saved = process.env[BACKEND_ENV_VAR];
  if (value === undefined) delete process.env[BACKEND_ENV_VAR];
  else process.env[BACKEND_ENV_VAR] = value;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = saved;
  }
}

test('automatic choice on this machine: wasm with SIMD on one thread, and why not the others', async () => {
  const report = await withEnv(undefined, () => initBackend());
  assert.equal(report.chosen, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(report.forcedBy, null);
  assert.equal(report.simd, true);
  assert.equal(report.threads, 1);
  assert.equal(report.wasmKernelsPatched, true);
  // tfjs-node is mapped to plain tfjs by a package.json override here; webgpu is not installed.
  assert.match(report.reasons.tensorflow ?? '', /tfjs-node.*(not the native binding|not installed)/);
  assert.match(report.reasons.webgpu ?? '', /webgpu/);
  assert.match(report.reasons.cpu ?? '', /not tried: 'wasm' comes first/);
  assert.equal(report.reasons.wasm, undefined);
});

test('a second call with the same request returns the same report without re-choosing', async () => {
  await withEnv(undefined, async () => {
    const first = await initBackend({ order: ['wasm', 'cpu'] });
    const second = await initBackend({ order: ['wasm', 'cpu'] });
    assert.equal(second, first);
  });
});

test('the backend option forces a backend', async () => {
  const report = await withEnv(undefined, () => initBackend({ backend: 'cpu' }));
  assert.equal(report.chosen, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(report.forcedBy, 'option');
  assert.equal(report.simd, false);
  assert.match(report.reasons.wasm ?? '', /not tried: the backend option forced 'cpu'/);
  assert.deepEqual(Array.from(tf.add(tf.tensor([1, 2]), 1).dataSync()), [2, 3]);
});

test('$RLVR_BACKEND forces a backend; the option wins over it', async () => {
  await withEnv('cpu', async () => {
    const fromEnv = await initBackend();
    assert.equal(fromEnv.chosen, 'cpu');
    assert.equal(fromEnv.forcedBy, 'env');
    assert.match(fromEnv.reasons.wasm ?? '', /\$RLVR_BACKEND forced 'cpu'/);
    const fromOption = await initBackend({ backend: 'wasm' });
    assert.equal(fromOption.chosen, 'wasm');
    assert.equal(fromOption.forcedBy, 'option');
  });
});

test('forcing an unavailable backend is an error that says why', async () => {
  await withEnv(undefined, async () => {
    await assert.rejects(initBackend({ backend: 'webgpu' }),
      /initBackend: backend 'webgpu' was forced by the backend option but cannot run: .*(not installed|no GPU adapter)/);
    await assert.rejects(initBackend({ backend: 'tensorflow' }),
      /initBackend: backend 'tensorflow' was forced by the backend option but cannot run: .*tfjs-node.*(not the native binding|not installed)/);
  });
  await withEnv('webgpu', async () => {
    await assert.rejects(initBackend(), /backend 'webgpu' was forced by \$RLVR_BACKEND but cannot run/);
  });
});

test('unknown names and an empty order are errors that list the known backends', async () => {
  await withEnv('wsam', async () => {
    await assert.rejects(initBackend(), /initBackend: \$RLVR_BACKEND is 'wsam' \(did you mean 'wasm'\?\); known backends: tensorflow, webgpu, wasm, cpu/);
  });
  await withEnv(undefined, async () => {
    await assert.rejects(initBackend({ order: [] }), /option order is empty/);
    await assert.rejects(initBackend({ order: ['gpu' as 'cpu'] }), /an entry of option order is 'gpu'.*known backends: tensorflow, webgpu, wasm, cpu/);
  });
});

test('the order option skips unavailable backends and reports the ones left out', async () => {
  const report = await withEnv(undefined, () => initBackend({ order: ['webgpu', 'cpu'] }));
  assert.equal(report.chosen, 'cpu');
  assert.match(report.reasons.webgpu ?? '', /webgpu/);
  assert.equal(report.reasons.wasm, 'not in option order');
  assert.equal(report.reasons.tensorflow, 'not in option order');
  await initBackend({ backend: 'wasm' });
});

test('a fresh process: patching before init is refused; cpu then wasm write nothing to stderr (no tfjs-node banner)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-backend-'));
  try {
    const script = join(dir, 'quiet.mts');
    writeFileSync(script, [
      // The script lives in a temp dir, so resolve tfjs from the project explicitly.
      `import { createRequire } from 'node:module';`,
      `const tf = createRequire(${JSON.stringify(resolve('package.json'))})('@tensorflow/tfjs');`,
      `import { initBackend, patchWasmKernels } from ${JSON.stringify(resolve('lib/tensor/index.ts'))};`,
      `let guard = 'no error';`,
      `try { patchWasmKernels(); } catch (e) { guard = e.message; }`,
      `const first = await initBackend();`,
      `tf.add(tf.tensor([1, 2]), tf.tensor([3, 4])).dataSync();`,
      `const second = await initBackend({ backend: 'wasm' });`,
      `tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync();`,
      `console.log(JSON.stringify([guard, first.chosen, first.forcedBy, second.chosen, second.wasmKernelsPatched]));`,
    ].join('\n'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, [BACKEND_ENV_VAR]: 'cpu' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const [guard, ...rest] = JSON.parse(r.stdout.trim()) as unknown[];
    assert.match(String(guard), /patchWasmKernels: the wasm backend is not initialised; call initBackend/);
    assert.deepEqual(rest, ['cpu', 'env', 'wasm', true]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
