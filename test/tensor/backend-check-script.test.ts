// bench/webgpu-check.ts is what bench/gpu-check.sh runs on the GPU machine; here it runs against
// wasm (the same code path: build on cpu, save, reload on the target, compare), so the script
// itself is known to work before device time is spent on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('bench/webgpu-check.ts passes every check against wasm and exits 0', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/webgpu-check.ts', 'wasm'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split('\n');
  assert.equal(lines.filter((l) => l.startsWith('FAIL')).length, 0, r.stdout);
  const passed = lines.filter((l) => l.startsWith('PASS')).map((l) => l.slice(5, l.indexOf(':')));
  assert.deepEqual(passed, [
    'logits vs cpu', 'next-token log-probs vs cpu', 'greedy generations vs cpu', 'seeded sampling repeats',
    'optimizer step', 'GRPO toy run, 2 steps with checkpoints',
  ]);
  assert.match(r.stdout, /^backend wasm$/m);
});
