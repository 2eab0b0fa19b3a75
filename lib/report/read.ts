// Reads a grid results folder (what `rlvr grid collect` and `rlvr reproduce` write) for the report:
// grid.json, cells.jsonl, trajectories.jsonl (lib/grid's readGridResults), claims.json and
// provenance.json, each checked enough that a wrong file is named with its field, not drawn wrong.
import { join } from 'node:path';
import { readGridResults, readResultsProvenance, RESULT_FILES, type CellSummary, type ClaimRow, type GridSpec, type ResultsProvenance, type TrajectoryRow, type Verdict } from '../grid';
import { DataError, isJsonObject, readJsonFile } from '../util';

export interface ReportInput {
  /** The results folder. */
  dir: string;
  spec: GridSpec;
  cells: CellSummary[];
  trajectories: TrajectoryRow[];
  claims: ClaimRow[];
  provenance: ResultsProvenance;
}

export const VERDICTS: readonly Verdict[] = ['reproduced', 'not reproduced', 'inconclusive', 'no data'];

function checkClaim(v: unknown, file: string, i: number): ClaimRow {
  const field = (name: string): string => `[${i}].${name}`;
  if (!isJsonObject(v)) throw new DataError({ file, field: `[${i}]` }, 'expected a claim row (an object)');
  if (typeof v.claim !== 'number') throw new DataError({ file, field: field('claim') }, `expected a number, received ${JSON.stringify(v.claim)}`);
  for (const k of ['statement', 'family', 'comparison', 'metric', 'expect', 'paper']) {
    if (typeof v[k] !== 'string') throw new DataError({ file, field: field(k) }, `expected a string, received ${JSON.stringify(v[k])}`);
  }
  if (!VERDICTS.includes(v.verdict as Verdict)) throw new DataError({ file, field: field('verdict') }, `expected one of ${VERDICTS.join(', ')}, received ${JSON.stringify(v.verdict)}`);
  const e = v.effect;
  if (e !== null && !(isJsonObject(e) && typeof e.n === 'number' && typeof e.mean === 'number')) {
    throw new DataError({ file, field: field('effect') }, 'expected null or an interval { n, mean, lo, hi, ... }');
  }
  if (!isJsonObject(v.collapses)) throw new DataError({ file, field: field('collapses') }, 'expected an object of { collapsed, runs } per arm');
  return v as unknown as ClaimRow;
}

/** JSON writes ±Infinity (an interval of one run) as null: read it back as the infinite bound it was. */
function restoreInfinite(c: ClaimRow): ClaimRow {
  const e = c.effect;
  if (e === null) return c;
  return { ...c, effect: { ...e, lo: e.lo ?? -Infinity, hi: e.hi ?? Infinity, half: e.half ?? Infinity, sd: e.sd ?? NaN } };
}

/** Everything the report shows, from the results folder `dir`. */
export function readReportInput(dir: string): ReportInput {
  const { spec, cells, trajectories } = readGridResults(dir);
  const claimsFile = join(dir, RESULT_FILES.claims);
  const raw = readJsonFile(claimsFile, 'the claims of the grid; run `rlvr grid collect` (or `rlvr reproduce`) to write them');
  if (!Array.isArray(raw)) throw new DataError({ file: claimsFile }, 'expected an array of claim rows');
  const claims = raw.map((v, i) => restoreInfinite(checkClaim(v, claimsFile, i)));
  return { dir, spec, cells, trajectories, claims, provenance: readResultsProvenance(dir) };
}
