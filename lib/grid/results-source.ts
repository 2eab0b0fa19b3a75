// Where a notebook's grid numbers come from: a committed results folder (data/results/full, written by
// `rlvr grid collect`), or a grid run again into a folder of its own and collected from there. A run
// again resumes what its folder holds (runGrid skips complete cells), and refuses to return results
// when a cell failed or is missing, so a notebook never silently analyses a partial rerun.
import { join } from 'node:path';
import { collectGrid, readGridResults, readResultsProvenance, type ResultsProvenance, type TrajectoryRow } from './collect';
import type { CellSummary } from './run-cell';
import { FAILURES_FILE, runGrid, type GridEvent } from './runner';
import type { GridSpec } from './spec';

export interface GridResults {
  /** The folder the numbers were read from. */
  source: string;
  /** 'committed' results folder, or 'recomputed' from a grid run here. */
  kind: 'committed' | 'recomputed';
  spec: GridSpec;
  cells: CellSummary[];
  trajectories: TrajectoryRow[];
  /** The committed folder's provenance.json (commit, complete and missing runs); null for a grid run here. */
  provenance: ResultsProvenance | null;
}

export interface RecomputeOptions {
  /** The grid to run (e.g. a preset with its tuned learning rates). */
  spec: GridSpec;
  /** Its grid folder: created, or resumed when it already holds this spec. */
  out: string;
  /** Processes at a time (default runGrid's). */
  jobs?: number;
  onEvent?: (e: GridEvent) => void;
}

/** The committed results in `results`, or, with `recompute`, the grid run into `recompute.out` and collected. */
export async function gridResults(results: string, recompute: RecomputeOptions | null = null): Promise<GridResults> {
  if (recompute === null) return { source: results, kind: 'committed', ...readGridResults(results), provenance: readResultsProvenance(results) };
  const { spec, out } = recompute;
  const r = await runGrid(spec, out, { jobs: recompute.jobs, onEvent: recompute.onEvent });
  if (r.failed > 0 || r.stopped) {
    throw new Error(`${out}: ${r.failed > 0 ? `${r.failed} run(s) failed (see ${join(out, FAILURES_FILE)})` : 'the grid was stopped'}; run again to resume`);
  }
  const g = collectGrid(out);
  if (g.missing.length > 0) throw new Error(`${out}: ${g.missing.length} run(s) not complete (${g.missing.slice(0, 3).join(', ')}); run again to resume`);
  return { source: out, kind: 'recomputed', spec: g.spec, cells: g.cells, trajectories: g.trajectories, provenance: null };
}
