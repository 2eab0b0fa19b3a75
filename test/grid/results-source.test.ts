// A notebook's grid numbers: the committed folder as written (with its provenance), a recomputed grid collected from its own
// folder (complete cells are not run again), and a rerun with a failed cell refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARMS, cellDir, DONE_FILE, GRID_ALGO, gridCells, gridResults, initGridDir, ORGANISM_LOG, writeGridResults,
  type CellSummary, type GridEvent, type GridSpec, type OrganismLogRecord,
} from '../../lib/grid';

const SPEC: GridSpec = {
  name: 'test', families: ['good-code'], arms: [ARMS['ground-truth'], ARMS.random], seeds: [1, 2], steps: 1, evalEvery: 1, evalProblems: 8,
  algo: { ...GRID_ALGO, promptsPerRollout: 8, groupSize: 4, minibatches: 2 }, lr: { 'good-code': 0.05 }, organismRoot: null,
};

const rec = (batches: number, pCode: number): OrganismLogRecord => ({
  step: batches - 1, batches, pCode, pLanguage: 1 - pCode,
  eval: { pCode, pLanguage: 1 - pCode, greedyAccuracy: { code: 0.6, language: 0.3 }, tableMatch: { code: 1, language: 1 }, expectedAccuracy: 0.5, collapsed: false, sampled: null },
});

/** A grid folder whose every cell is complete (done.json and organism.jsonl as runCell writes them). */
function completeGrid(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grid-src-'));
  initGridDir(dir, SPEC);
  for (const c of gridCells(SPEC)) {
    const d = cellDir(dir, c.key);
    mkdirSync(d, { recursive: true });
    const log = [rec(0, 0.65), rec(1, 0.6 + 0.1 * c.seed)];
    writeFileSync(join(d, ORGANISM_LOG), log.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const summary: CellSummary = {
      key: c.key, family: c.family, arm: c.arm.name, seed: c.seed, steps: 1, collapsed: false, collapsedAt: null, collapsedAnyStyle: false, collapsedAnyStyleAt: null,
      initial: log[0], final: log[1], wallSeconds: 1, spec: { train: {}, organisms: 'shipped', evalEvery: 1, evalProblems: 8 },
    };
    writeFileSync(join(d, DONE_FILE), `${JSON.stringify(summary)}\n`);
  }
  return dir;
}

test('committed results are read as written', async () => {
  const grid = completeGrid();
  const results = mkdtempSync(join(tmpdir(), 'results-'));
  try {
    const collected = await gridResults('/nonexistent', { spec: SPEC, out: grid });
    writeGridResults({ ...collected, missing: [] }, results);
    const r = await gridResults(results);
    assert.equal(r.kind, 'committed');
    assert.equal(r.source, results);
    assert.deepEqual(r.cells, collected.cells);
    assert.deepEqual(r.trajectories, collected.trajectories);
    assert.equal(r.spec.name, 'test');
    assert.deepEqual([r.provenance?.complete, r.provenance?.missing], [collected.cells.length, 0], 'the committed folder\'s provenance.json comes with it');
  } finally {
    rmSync(grid, { recursive: true, force: true });
    rmSync(results, { recursive: true, force: true });
  }
});

test('a recomputed grid whose cells are complete runs nothing and is collected from its own folder', async () => {
  const grid = completeGrid();
  try {
    const events: GridEvent[] = [];
    const r = await gridResults('/nonexistent', { spec: SPEC, out: grid, onEvent: (e) => events.push(e) });
    assert.equal(r.kind, 'recomputed');
    assert.equal(r.source, grid);
    assert.deepEqual(r.cells.map((c) => c.key), gridCells(SPEC).map((c) => c.key));
    assert.deepEqual(r.cells.map((c) => +c.final.pCode.toFixed(6)), [0.7, 0.7, 0.8, 0.8]);
    assert.equal(r.trajectories.length, 8, 'two records per run');
    assert.equal(r.provenance, null, 'a grid run here has no committed provenance');
    assert.ok(!events.some((e) => e.kind === 'cell-start'), 'no cell was run');
  } finally {
    rmSync(grid, { recursive: true, force: true });
  }
});

test('a recomputed grid with a failed cell is refused, naming the failures file', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'grid-fail-'));
  try {
    const spec: GridSpec = { ...SPEC, arms: [ARMS.random], seeds: [1], organismRoot: join(dir, 'no-organisms-here') };
    await assert.rejects(gridResults('/nonexistent', { spec, out: join(dir, 'grid'), jobs: 1 }), /1 run\(s\) failed \(see .*failures\.jsonl\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
