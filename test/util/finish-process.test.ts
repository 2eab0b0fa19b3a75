// finishProcess: exits at once when a WebGPU instance is live (a stand-in timer keeps the event
// loop busy, as Dawn does); otherwise only sets the exit code and lets node finish its work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function run(code: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout };
}

test('with a live GPU instance, finishProcess exits at once with the code', () => {
  const r = run(`const { finishProcess, markGpuInstanceLive } = await import('./lib/util/index.ts');
    setInterval(() => {}, 1000); markGpuInstanceLive(); finishProcess(3); console.log('after');`);
  assert.equal(r.status, 3);
  assert.equal(r.stdout, '', 'nothing after finishProcess ran');
});

test('without one, it sets the exit code and pending work still completes', () => {
  const r = run(`const { finishProcess } = await import('./lib/util/index.ts');
    finishProcess(4); setTimeout(() => console.log('pending work ran'), 50);`);
  assert.equal(r.status, 4);
  assert.equal(r.stdout.trim(), 'pending work ran');
});
