// Where a grid stands: the runs finished in its folder, the runs an earlier session collected into
// its results folder (which `rlvr grid run` skips), the missing ones, and the wall time of the runs
// finished here, from which the time the missing runs need is estimated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reusableCells } from './collect';
import { DONE_FILE, type CellSummary } from './run-cell';
import { cellDir, isCellDone, readGridSpec } from './runner';
import { gridCells, type GridSpec } from './spec';

export interface GridStatus {
  spec: GridSpec;
  total: number;
  /** Finished in the grid folder. */
  here: number;
  /** Not finished here but collected with the same settings in the results folder. */
  collected: number;
  missing: string[];
  /** Mean wall seconds of the runs finished here (each beside whatever else ran then); null without any. */
  meanWallSeconds: number | null;
}

export function gridStatus(out: string, results: string | null = null): GridStatus {
  const spec = readGridSpec(out);
  const cells = gridCells(spec);
  const prior = results === null ? new Map() : reusableCells(spec, results);
  const walls: number[] = [];
  let collected = 0;
  const missing: string[] = [];
  for (const c of cells) {
    if (isCellDone(out, c.key)) {
      const done = JSON.parse(readFileSync(join(cellDir(out, c.key), DONE_FILE), 'utf8')) as CellSummary;
      if (Number.isFinite(done.wallSeconds)) walls.push(done.wallSeconds);
    } else if (prior.has(c.key)) collected++;
    else missing.push(c.key);
  }
  const here = cells.length - collected - missing.length;
  return { spec, total: cells.length, here, collected, missing, meanWallSeconds: walls.length === 0 ? null : walls.reduce((a, b) => a + b, 0) / walls.length };
}

/** Hours of wall time for `runs` runs of `meanWallSeconds` each, `jobs` at a time. */
export const wallHours = (runs: number, meanWallSeconds: number, jobs: number): number => (runs * meanWallSeconds) / jobs / 3600;
