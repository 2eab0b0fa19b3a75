// `rlvr reproduce` on the smoke preset (the shipped good-code organism, --lr): killed after its first
// run and started again, it resumes, and the run folder ends with every table, the claims and the report.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { presetSpec } from '../../lib/cli/grid';
import { reproduce } from '../../lib/cli/reproduce';
import { gridPresetNames, type ClaimRow } from '../../lib/grid';
import { capture } from './capture';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'rlvr-reproduce-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts `rlvr reproduce` in its own process group and SIGKILLs the group once a run has finished. */
function runAndKill(out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'reproduce', '--preset', 'smoke', '--lr', '0.05', '--jobs', '1', '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (/1\/2 runs: \S+ took/.test(text)) process.kill(-(child.pid as number), 'SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    child.on('close', () => (/1\/2 runs/.test(text) ? resolve(text) : reject(new Error(`reproduce ended before a run finished:\n${text}`))));
  });
}

test('rlvr reproduce --preset smoke: progress, killed after one run, resumed to claims and report in one folder', async () => {
  const out = tmp();
  const first = await runAndKill(out);
  assert.match(first, /\[1\/5\] organisms: good-code/);
  assert.match(first, /\[2\/5\] grid smoke: 1 family, 2 arms, 1 seed, 2 rollout batches per run/);
  assert.match(first, /running good-code\/ground-truth\/s1/);
  assert.match(first, /\[#{10}\.{10}\] 1\/2 runs: good-code\/ground-truth\/s1 took \d+ s; \d+ s elapsed, about \d+ s left/);
  assert.ok(!existsSync(join(out, 'report.html')));

  const c = capture();
  assert.equal(await main(['reproduce', '--preset', 'smoke', '--lr', '0.05', '--out', out], c.io), 0, c.err);
  assert.match(c.out, /2 runs, 1 already complete, 2 at a time/);
  assert.doesNotMatch(c.out, /running good-code\/ground-truth/, 'the complete run is not run again');
  assert.match(c.out, /\[5\/5\] report/);
  for (const f of ['grid.json', 'cells.jsonl', 'trajectories.jsonl', 'claims.json', 'provenance.json', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  assert.equal(readFileSync(join(out, 'cells.jsonl'), 'utf8').trim().split('\n').length, 2);
  const claims = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8')) as ClaimRow[];
  assert.deepEqual(claims.map((r) => `${r.claim} ${r.comparison} ${r.metric}`), [
    '1 ground-truth vs start expectedAccuracy', '2 random vs start expectedAccuracy', '2 random vs start pCode',
    '6 code forced vs own choice (paired over held-out problems) expectedAccuracy',
  ]);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(html.split('<tr class="verdict-').length - 1, claims.length);
  assert.match(c.out, new RegExp(`wrote ${join(out, 'report.html')} \\(\\d\\.\\d MB; 4 claim rows: `));
});

test('a missing organism is pretrained before the grid; one that fails its gate stops the pipeline', async () => {
  const organisms = tmp();
  const out = tmp();
  const calls: string[][] = [];
  const c = capture();
  const code = await reproduce({
    spec: presetSpec('smoke', '0.05', organisms), out, jobs: 1,
    pretrain: async (family, dir) => { calls.push([family, dir]); return false; },
  }, c.io);
  assert.equal(code, 1);
  assert.deepEqual(calls, [['good-code', join(organisms, 'good-code-s1')]]);
  assert.match(c.out, /good-code: no organism in .*good-code-s1; pretraining it/);
  assert.match(c.err, /the good-code organism in .* failed its gate/);
  assert.ok(!existsSync(join(out, 'grid.json')), 'the grid did not start');
});

test('rlvr reproduce needs --preset, and names an unknown one', async () => {
  const a = capture();
  assert.equal(await main(['reproduce'], a.io), 2);
  assert.match(a.err, /--preset NAME is required/);
  for (const name of gridPresetNames()) assert.ok(a.err.includes(name), `the error lists the preset ${name}`);
  assert.ok(a.err.includes(`usage: rlvr reproduce --preset ${gridPresetNames().join('|')} `), 'the usage line lists every preset');
  const b = capture();
  assert.equal(await main(['reproduce', '--preset', 'quik', '--lr', '0.05'], b.io), 1);
  assert.match(b.err, /unknown grid preset "quik" \(did you mean "quick"\?\)/);
});
