// bench/results.ts: every `npm run bench` run leaves a committed, diffable record of machine, date, commit, load,
// what it printed and the numbers it returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentCommit, formatResult, machineLabel, resultPath, runInfo, saveResult, type RunInfo } from '../../bench/results';

const INFO: RunInfo = {
  bench: 'verifier', machine: 'h100', date: '2026-11-26', started: '2026-11-26T15:06:07Z', commit: '3b9577358d36',
  node: 'v20.20.2', cpu: '16 × AMD EPYC, 128 GiB', os: 'linux 6.1', load: '0.50',
};

test('the result file names bench, machine and date, and records commit, machine, load, output and numbers', () => {
  assert.equal(resultPath(INFO, 'bench/results'), join('bench/results', 'verifier-h100-2026-11-26.md'));
  const text = formatResult(INFO, ['strict  15,556 items/s', 'all 99.7%'], { itemsPerSec: 15556, rows: new Float32Array([1, 2]) }, 4.12, null);
  for (const want of ['# bench verifier on h100, 2026-11-26', '| commit | 3b9577358d36 |', '| machine | h100: 16 × AMD EPYC, 128 GiB; linux 6.1; node v20.20.2 |',
    '| load average (1 min) at start | 0.50 |', '| wall time | 4.1 s |', '| outcome | finished |', '```text\nstrict  15,556 items/s\nall 99.7%\n```']) {
    assert.ok(text.includes(want), `missing ${JSON.stringify(want)} in\n${text}`);
  }
  const json = JSON.parse(text.slice(text.indexOf('```json\n') + 8, text.lastIndexOf('\n```')));
  assert.deepEqual(json, { itemsPerSec: 15556, rows: [1, 2] }, 'typed arrays become lists');
  const failed = formatResult(INFO, [], undefined, 1, 'Error: no data\n    at x');
  assert.match(failed, /\| outcome \| FAILED: Error: no data \|/);
  assert.ok(!failed.includes('```json'), 'no numbers section without a result');
});

test('saveResult writes into RLVR_BENCH_RESULTS; the machine label comes from RLVR_BENCH_MACHINE, made file-safe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-bench-'));
  const saved = { dir: process.env.RLVR_BENCH_RESULTS, machine: process.env.RLVR_BENCH_MACHINE };
  try {
    process.env.RLVR_BENCH_RESULTS = dir;
    process.env.RLVR_BENCH_MACHINE = 'NVIDIA H100 80GB/HBM3';
    assert.equal(machineLabel(), 'nvidia-h100-80gb-hbm3');
    const info = runInfo('tensor', new Date('2026-12-02T10:00:00Z'));
    assert.deepEqual([info.bench, info.machine, info.date, info.started], ['tensor', 'nvidia-h100-80gb-hbm3', '2026-12-02', '2026-12-02T10:00:00Z']);
    const file = saveResult(info, ['line'], [{ a: 1 }], 2, null);
    assert.equal(file, join(dir, 'tensor-nvidia-h100-80gb-hbm3-2026-12-02.md'));
    assert.match(readFileSync(file, 'utf8'), /```text\nline\n```/);
  } finally {
    for (const [k, v] of [['RLVR_BENCH_RESULTS', saved.dir], ['RLVR_BENCH_MACHINE', saved.machine]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the commit is this checkout\'s HEAD (marked +dirty when tracked files differ), or RLVR_BENCH_COMMIT where there is no git', () => {
  assert.match(currentCommit(), existsSync('.git') ? /^[0-9a-f]{12}(\+dirty)?$/ : /^unknown/);
  process.env.RLVR_BENCH_COMMIT = 'abc123 (from .gpu/commit.txt)';
  try {
    assert.equal(currentCommit(), 'abc123 (from .gpu/commit.txt)');
  } finally {
    delete process.env.RLVR_BENCH_COMMIT;
  }
});
