// The grid runner end to end on the shipped good-code organism: a small grid (one family, two
// rewards, one seed, a few rollout batches) run uninterrupted, and the same grid killed mid-run
// (the whole process group, SIGKILL) and resumed, must give identical logs; a finished grid is
// skipped on rerun; collect writes the tables and a claim row per claim the arms allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TIMING_FIELDS } from '../../lib/grpo';
import { ARMS, cellDir, collectGrid, GRID_ALGO, gridCells, gridStatus, readGridResults, readGridSpec, runGrid, type GridSpec } from '../../lib/grid';
import { defaultOrganismDir } from '../../lib/organisms';

const CLI = ['--import', 'tsx', 'lib/cli/main.ts', 'grid'];

const SPEC: GridSpec = {
  name: 'test', families: ['good-code'], arms: [ARMS['ground-truth'], ARMS.random], seeds: [3], steps: 4, evalEvery: 2, evalProblems: 32,
  algo: { ...GRID_ALGO, promptsPerRollout: 8, groupSize: 4, minibatches: 2 }, lr: { 'good-code': 0.05 }, organismRoot: null,
};

/** The grid folder as `rlvr grid run` would make it from a spec file (the CLI takes presets; tests write grid.json). */
function gridFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grid-'));
  writeFileSync(join(dir, 'grid.json'), `${JSON.stringify(SPEC, null, 2)}\n`);
  return dir;
}

function runAll(dir: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
    import('./lib/grid/index.ts').then(async (g) => {
      const spec = g.readGridSpec(${JSON.stringify(dir)});
      const r = await g.runGrid(spec, ${JSON.stringify(dir)}, { jobs: 2 });
      process.exit(r.failed === 0 ? 0 : 1);
    });`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/**
 * Starts the grid (one cell at a time) in its own process group and SIGKILLs the group once the first cell is
 * done and the second has logged its first rollout batch: the kill lands mid-run, whatever the machine's load.
 */
function runAndKill(dir: string): Promise<void> {
  const second = join(cellDir(dir, gridCells(SPEC)[1].key), 'organism.jsonl');
  const firstDone = join(cellDir(dir, gridCells(SPEC)[0].key), 'done.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      import('./lib/grid/index.ts').then(async (g) => {
        await g.runGrid(g.readGridSpec(${JSON.stringify(dir)}), ${JSON.stringify(dir)}, { jobs: 1 });
      });`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let killed = false;
    const poll = setInterval(() => {
      const lines = existsSync(second) ? readFileSync(second, 'utf8').trim().split('\n').filter(Boolean).length : 0;
      if (existsSync(firstDone) && lines >= 2) {
        killed = true;
        clearInterval(poll);
        process.kill(-(child.pid as number), 'SIGKILL');
      }
    }, 20);
    child.on('close', () => {
      clearInterval(poll);
      if (killed) resolve();
      else reject(new Error('the grid ended before the second cell was caught mid-run'));
    });
  });
}

const strip = (file: string): unknown[] => readFileSync(file, 'utf8').trim().split('\n').map((l) => {
  const r = JSON.parse(l) as Record<string, unknown>;
  for (const f of [...TIMING_FIELDS, 'wallSeconds']) delete r[f];
  return r;
});

test('the shipped organism exists (the grid tests start from it)', () => {
  assert.ok(statSync(join(defaultOrganismDir('good-code'), 'organism.json')).isFile());
});

test('a grid killed mid-run and resumed gives the same logs as an uninterrupted one; a finished grid is skipped', { timeout: 600_000 }, async () => {
  const a = gridFolder();
  const b = gridFolder();
  try {
    runAll(a);
    await runAndKill(b);
    const killed = gridCells(SPEC).filter((c) => {
      try { statSync(join(cellDir(b, c.key), 'done.json')); return false; } catch { return true; }
    });
    assert.deepEqual(killed.map((c) => c.key), [gridCells(SPEC)[1].key], 'the second cell was killed mid-run');
    runAll(b);
    for (const c of gridCells(SPEC)) {
      for (const f of ['organism.jsonl', 'steps.jsonl', 'rollouts.jsonl']) {
        assert.deepEqual(strip(join(cellDir(b, c.key), f)), strip(join(cellDir(a, c.key), f)), `${c.key} ${f}`);
      }
    }
    const before = statSync(join(cellDir(b, gridCells(SPEC)[0].key), 'done.json')).mtimeMs;
    const r = spawnSync(process.execPath, [...CLI, 'status', b, '--results', join(b, 'none')], { encoding: 'utf8' });
    assert.match(r.stdout, /2\/2 runs complete \(2 in .*, 0 more collected/);
    const walls = gridCells(SPEC).map((c) => (JSON.parse(readFileSync(join(cellDir(b, c.key), 'done.json'), 'utf8')) as { wallSeconds: number }).wallSeconds);
    const mean = (walls[0] + walls[1]) / 2;
    assert.match(r.stdout, new RegExp(`mean wall per run: ${mean.toFixed(1)} s over 2 runs here; at 2 processes the missing runs take about 0\\.0 h`));
    runAll(b); // nothing left to do
    assert.equal(statSync(join(cellDir(b, gridCells(SPEC)[0].key), 'done.json')).mtimeMs, before);
    const res = join(b, 'results');
    const col = spawnSync(process.execPath, [...CLI, 'collect', b, '--results', res], { encoding: 'utf8' });
    assert.equal(col.status, 0, col.stderr);
    assert.equal(readFileSync(join(res, 'cells.jsonl'), 'utf8').trim().split('\n').length, 2);
    const claims = JSON.parse(readFileSync(join(res, 'claims.json'), 'utf8')) as { claim: number }[];
    assert.deepEqual([...new Set(claims.map((c) => c.claim))].sort(), [1, 2, 6]);
    // A later session: the run folders are gone, the collected results remain; nothing runs again.
    const c = gridFolder();
    try {
      const prior = readGridResults(res);
      const r2 = await runGrid(readGridSpec(c), c, { completed: new Set(prior.cells.map((x) => x.key)) });
      assert.deepEqual([r2.done, r2.failed], [2, 0]);
      assert.equal(existsSync(join(c, 'runs')), false);
      const st = gridStatus(c, res);
      assert.deepEqual([st.here, st.collected, st.missing, st.meanWallSeconds], [0, 2, [], null], 'collected runs count as complete');
      assert.equal(gridStatus(c).missing.length, 2, 'without the results folder they are missing');
      const again = collectGrid(c, res);
      assert.deepEqual(again.cells.map((x) => x.key), prior.cells.map((x) => x.key));
      assert.equal(again.trajectories.length, prior.trajectories.length);
    } finally {
      rmSync(c, { recursive: true, force: true });
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('runGrid with families runs only those families\' cells; the others stay pending', { timeout: 300_000 }, async () => {
  const spec: GridSpec = { ...SPEC, families: ['good-code', 'no-code'], arms: [ARMS['ground-truth']], steps: 2, lr: { 'good-code': 0.05, 'no-code': 0.05 } };
  const dir = mkdtempSync(join(tmpdir(), 'grid-families-'));
  try {
    const r = await runGrid(spec, dir, { jobs: 1, families: ['no-code'] });
    assert.deepEqual(r, { done: 1, failed: 0, stopped: false });
    assert.ok(existsSync(join(cellDir(dir, 'no-code/ground-truth/s3'), 'done.json')));
    assert.ok(!existsSync(cellDir(dir, 'good-code/ground-truth/s3')), 'no good-code cell was started');
    assert.deepEqual(collectGrid(dir).missing, ['good-code/ground-truth/s3']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
