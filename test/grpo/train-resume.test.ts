// Crash safety: `rlvr train` killed with SIGKILL at a seeded random step after its first checkpoint
// (or before it: the resume then starts again from step 0), then `rlvr train --resume`, must finish
// with the same logs and the same final weights as an uninterrupted run of the same config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../lib/util';
import { TIMING_FIELDS } from '../../lib/grpo';

const STEPS = 8;
const EVERY = 3;
const CLI = ['--import', 'tsx', 'lib/cli/main.ts', 'train'];

function config(runDir: string, checkpointEvery = EVERY): Record<string, unknown> {
  return {
    runDir, seed: 11, steps: STEPS, checkpointEvery, samplesPerRollout: 2,
    // A random compound reward, KL to the reference and an entropy bonus: every seeded stream and saved state is exercised.
    reward: 'math_AND_random0.7',
    algo: { groupSize: 4, promptsPerRollout: 4, minibatches: 2, microBatchSize: 2, optimizer: 'adam', lr: 0.003, klCoef: 0.02, entropyCoef: 0.01 },
    task: { warmStartSteps: 20 },
    sampling: { maxNewTokens: 10 },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]));
}

function runCli(args: string[]): void {
  const r = spawnSync(process.execPath, [...CLI, ...args, '--backend', 'wasm', '--quiet'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `rlvr train ${args.join(' ')} failed:\n${r.stderr}`);
}

/** Starts a run and SIGKILLs it as soon as it reports finishing rollout batch `killAt`; resolves with the last step it printed. */
function runAndKill(cfgFile: string, killAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, '--config', cfgFile, '--backend', 'wasm'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let last = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of out.matchAll(/^rollout batch (\d+)\/\d+,/gm)) last = Math.max(last, Number(m[1]));
      if (last >= killAt) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(last);
      else reject(new Error(`the run was meant to be killed at step ${killAt} but exited with ${code}:\n${err}`));
    });
  });
}

const lines = (f: string): string[] => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');
const withoutTiming = (l: string): Record<string, unknown> => {
  const r = JSON.parse(l) as Record<string, unknown>;
  for (const k of TIMING_FIELDS) delete r[k];
  return r;
};

/** The logs and final checkpoint files of two runs are identical (timing fields aside). */
function assertSameRun(resumed: string, full: string): void {
  const a = lines(join(full, 'steps.jsonl'));
  const b = lines(join(resumed, 'steps.jsonl'));
  assert.equal(a.length, STEPS * 2);
  assert.deepEqual(b, a, 'steps.jsonl: identical, no duplicates');
  assert.deepEqual(lines(join(resumed, 'rollouts.jsonl')).map(withoutTiming), lines(join(full, 'rollouts.jsonl')).map(withoutTiming));
  assert.deepEqual(lines(join(resumed, 'samples.jsonl')), lines(join(full, 'samples.jsonl')));
  const last = `checkpoints/step-${String(STEPS).padStart(6, '0')}`;
  for (const f of ['model.safetensors', 'optimizer.safetensors', 'state.json']) {
    assert.ok(readFileSync(join(resumed, last, f)).equals(readFileSync(join(full, last, f))), `final ${f} identical`);
  }
  assert.deepEqual(filesUnder(resumed).filter((f) => f.includes('.tmp')), [], 'no temp files left');
}

test('SIGKILL then --resume reproduces the uninterrupted run exactly, killed after a checkpoint and before the first', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rlvr-resume-'));
  try {
    const full = join(root, 'full');
    const crashed = join(root, 'crashed');
    const early = join(root, 'early');
    writeFileSync(join(root, 'full.json'), JSON.stringify(config(full)));
    writeFileSync(join(root, 'crashed.json'), JSON.stringify(config(crashed)));
    writeFileSync(join(root, 'early.json'), JSON.stringify(config(early, STEPS)));
    runCli(['--config', join(root, 'full.json')]);

    // Seeded kill point: after the first checkpoint (step EVERY), before the end.
    const killAt = EVERY + 1 + createRng(20261126).int(STEPS - EVERY - 1);
    const reached = await runAndKill(join(root, 'crashed.json'), killAt);
    assert.ok(reached >= killAt && reached < STEPS, `killed after step ${reached} (aimed at ${killAt})`);
    const latest = JSON.parse(readFileSync(join(crashed, 'checkpoints/latest.json'), 'utf8')) as { step: number };
    assert.ok(latest.step >= EVERY && latest.step <= reached, `latest checkpoint ${latest.step}`);
    assert.ok(lines(join(crashed, 'steps.jsonl')).length > latest.step * 2, 'the killed run logged steps past its checkpoint');

    runCli(['--resume', crashed]);
    assertSameRun(crashed, full);

    // Killed before its first checkpoint (this run checkpoints only at the end): --resume starts it again from step 0.
    // The config differs from the full run's in checkpointEvery only, which changes no number.
    const reachedEarly = await runAndKill(join(root, 'early.json'), 2);
    assert.ok(reachedEarly >= 2 && reachedEarly < STEPS, `killed after step ${reachedEarly}`);
    assert.deepEqual(readdirSync(early).filter((f) => f === 'checkpoints'), [], 'no checkpoint yet');
    assert.ok(lines(join(early, 'steps.jsonl')).length >= 4, 'the killed run had logged steps');
    runCli(['--resume', early]);
    assertSameRun(early, full);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
