// Collects a grid folder into tables: cells (one summary per complete run) and trajectories (one row
// per run and rollout batch, the exact metrics flattened), and writes the committed results folder.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecords } from '../grpo';
import { family as familyByName } from '../organisms';
import { DataError, isJsonObject, provenance, readJsonFile, writeFileAtomic, type Provenance } from '../util';
import { cellDir, isCellDone, readGridSpec } from './runner';
import { cellSpec, collapseOf, sameCellSpec, DONE_FILE, ORGANISM_LOG, type CellSummary, type OrganismLogRecord } from './run-cell';
import { cellKey, gridCells, type GridSpec } from './spec';

export interface TrajectoryRow {
  family: string;
  arm: string;
  seed: number;
  batches: number;
  pCode: number;
  pLanguage: number;
  rolloutAccuracy: number | null;
  rolloutCode: number | null;
  rewardMean: number | null;
  clipFirstToken: number | null;
  /** Evaluation batches only (else null). */
  expectedAccuracy: number | null;
  matchCode: number | null;
  matchLanguage: number | null;
  greedyAccuracyCode: number | null;
  greedyAccuracyLanguage: number | null;
  sampledAccuracy: number | null;
  sampledCode: number | null;
  sampledBoxed: number | null;
  sampledLoops: number | null;
}

export function trajectoryRow(family: string, arm: string, seed: number, r: OrganismLogRecord): TrajectoryRow {
  const e = r.eval;
  return {
    family, arm, seed, batches: r.batches, pCode: r.pCode, pLanguage: r.pLanguage,
    rolloutAccuracy: r.rolloutAccuracy ?? null, rolloutCode: r.rolloutCode ?? null, rewardMean: r.rewardMean ?? null, clipFirstToken: r.clipFirstToken ?? null,
    expectedAccuracy: e?.expectedAccuracy ?? null,
    matchCode: e?.tableMatch.code ?? null, matchLanguage: e?.tableMatch.language ?? null,
    greedyAccuracyCode: e?.greedyAccuracy.code ?? null, greedyAccuracyLanguage: e?.greedyAccuracy.language ?? null,
    sampledAccuracy: e?.sampled?.accuracy.rate ?? null, sampledCode: e?.sampled?.codeFrequency.rate ?? null,
    sampledBoxed: e?.sampled?.boxed.rate ?? null, sampledLoops: e?.sampled?.loops.rate ?? null,
  };
}

export interface CollectedGrid {
  spec: GridSpec;
  /** Complete cells, in grid order. */
  cells: CellSummary[];
  trajectories: TrajectoryRow[];
  /** Cells not complete yet. */
  missing: string[];
}

/** A reusable run of a results folder with its trajectory rows. */
export interface ReusableRun {
  cell: CellSummary;
  trajectories: TrajectoryRow[];
}

/**
 * Runs of a results folder (e.g. committed by an earlier session whose run folders are gone) that
 * `spec` would make identically: same cell, same cell spec (config, organisms, evaluation). A grid
 * can so grow by families, arms or seeds across sessions; a changed setting reruns its cells.
 * The folder is read once; trajectory rows are grouped by run in one pass.
 */
export function reusableCells(spec: GridSpec, prior: string): Map<string, ReusableRun> {
  if (!existsSync(join(prior, RESULT_FILES.grid))) return new Map();
  const old = readGridResults(prior);
  const byKey = new Map(old.cells.map((c) => [c.key, c]));
  const out = new Map<string, ReusableRun>();
  for (const c of gridCells(spec)) {
    const o = byKey.get(c.key);
    if (o?.spec !== undefined && sameCellSpec(o.spec, cellSpec(spec, c))) out.set(cellKey(c.family, c.arm.name, c.seed), { cell: o, trajectories: [] });
  }
  for (const t of old.trajectories) out.get(cellKey(t.family, t.arm, t.seed))?.trajectories.push(t);
  return out;
}

/** The complete cells of the grid folder `out`, plus the reusable runs of `prior` that `out` does not hold. */
export function collectGrid(out: string, prior: string | null = null): CollectedGrid {
  const spec = readGridSpec(out);
  const reusable = prior === null ? new Map<string, ReusableRun>() : reusableCells(spec, prior);
  const cells: CellSummary[] = [];
  const trajectories: TrajectoryRow[] = [];
  const missing: string[] = [];
  for (const c of gridCells(spec)) {
    if (!isCellDone(out, c.key)) {
      const kept = reusable.get(c.key);
      if (kept === undefined) missing.push(c.key);
      else {
        cells.push(kept.cell);
        trajectories.push(...kept.trajectories);
      }
      continue;
    }
    const dir = cellDir(out, c.key);
    const log = readRecords<OrganismLogRecord>(join(dir, ORGANISM_LOG));
    // The log is the record: collapse is derived from it again (done.json of older code lacks some fields).
    cells.push({ ...(JSON.parse(readFileSync(join(dir, DONE_FILE), 'utf8')) as CellSummary), ...collapseOf(log, familyByName(c.family)) });
    for (const r of log) trajectories.push(trajectoryRow(c.family, c.arm.name, c.seed, r));
  }
  return { spec, cells, trajectories, missing };
}

export const RESULT_FILES = { grid: 'grid.json', cells: 'cells.jsonl', trajectories: 'trajectories.jsonl', claims: 'claims.json', provenance: 'provenance.json' } as const;

export interface ResultsProvenance extends Provenance {
  /** Complete and missing cells when the results were written. */
  complete: number;
  missing: number;
}

/**
 * A results folder's provenance.json (what writeGridResults wrote), checked field by field: a wrong file is a
 * DataError naming the file and field. The report and the notebooks read it through this one function.
 */
export function readResultsProvenance(dir: string): ResultsProvenance {
  const file = join(dir, RESULT_FILES.provenance);
  const v = readJsonFile(file, 'the provenance of the results; run `rlvr grid collect` to write it');
  if (!isJsonObject(v)) throw new DataError({ file }, 'expected an object { commit, dirty, created, complete, missing }');
  const bad = (field: string, expected: string): never => {
    throw new DataError({ file, field }, `expected ${expected}, received ${JSON.stringify(v[field])}`);
  };
  if (v.commit !== null && typeof v.commit !== 'string') bad('commit', 'a commit sha or null');
  if (v.dirty !== null && typeof v.dirty !== 'boolean') bad('dirty', 'true, false or null');
  if (typeof v.created !== 'string') bad('created', 'an ISO time');
  for (const k of ['complete', 'missing']) {
    if (typeof v[k] !== 'number' || !Number.isInteger(v[k]) || (v[k] as number) < 0) bad(k, 'a count of runs');
  }
  return { commit: v.commit as string | null, dirty: v.dirty as boolean | null, created: v.created as string, complete: v.complete as number, missing: v.missing as number };
}

const jsonl = (rows: readonly unknown[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

/** Writes grid.json, cells.jsonl, trajectories.jsonl and provenance.json into `dest` (each atomically). */
export function writeGridResults(g: CollectedGrid, dest: string): void {
  mkdirSync(dest, { recursive: true });
  writeFileAtomic(join(dest, RESULT_FILES.grid), `${JSON.stringify(g.spec, null, 2)}\n`);
  writeFileAtomic(join(dest, RESULT_FILES.cells), jsonl(g.cells));
  writeFileAtomic(join(dest, RESULT_FILES.trajectories), jsonl(g.trajectories));
  // The tables just written are not code: only changes outside `dest` make the record dirty.
  const p: ResultsProvenance = { ...provenance(process.cwd(), [dest]), complete: g.cells.length, missing: g.missing.length };
  writeFileAtomic(join(dest, RESULT_FILES.provenance), `${JSON.stringify(p, null, 2)}\n`);
}

/** Reads a results folder written by writeGridResults (what notebooks and the report use). */
export function readGridResults(dest: string): { spec: GridSpec; cells: CellSummary[]; trajectories: TrajectoryRow[] } {
  const file = join(dest, RESULT_FILES.grid);
  if (!existsSync(file)) throw new Error(`${dest}: no grid results (${RESULT_FILES.grid} missing); run \`rlvr grid collect\``);
  return {
    spec: JSON.parse(readFileSync(file, 'utf8')) as GridSpec,
    cells: readRecords<CellSummary>(join(dest, RESULT_FILES.cells)),
    trajectories: readRecords<TrajectoryRow>(join(dest, RESULT_FILES.trajectories)),
  };
}
