// A grid results folder made without training: three families and seven arms over 3 seeds and
// 4 rollout batches, with made-up but deterministic metrics, written by lib/grid's own writers
// (writeGridResults, trajectoryRow, claimRows), so the report reads exactly what `rlvr grid collect` writes.
// One run collapses (bad-code/incorrect/s2) and every bad-code/format run does, so that arm's claim has no data.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tInterval } from '../../lib/eval';
import { cellSpec,
  claimRows, gridCells, ARMS, GRID_ALGO, RESULT_FILES, trajectoryRow, writeGridResults,
  type CellSummary, type ClaimRow, type GridSpec, type OrganismLogRecord, type TrajectoryRow,
} from '../../lib/grid';

export const FIXTURE_SPEC: GridSpec = {
  name: 'fixture', families: ['good-code', 'bad-code', 'no-code'],
  arms: [
    ARMS['ground-truth'], ARMS.random, ARMS.format, ARMS.incorrect,
    { ...ARMS['random-no-clip'], families: ['good-code'] }, { ...ARMS['random-m1'], families: ['good-code'] },
    { ...ARMS['format-no-python'], families: ['bad-code'] },
  ],
  seeds: [1, 2, 3], steps: 4, evalEvery: 2, evalProblems: 200, algo: GRID_ALGO, lr: { 'good-code': 0.05, 'bad-code': 0.05, 'no-code': 0.05 },
};

const START: Readonly<Record<string, number>> = { 'good-code': 0.65, 'bad-code': 0.922, 'no-code': 0 };
/** Change of P(code) per rollout batch by arm (accuracy moves with it for good-code). */
const DRIFT: Readonly<Record<string, number>> = { 'ground-truth': 0.02, random: 0.015, format: 0.01, incorrect: 0.012, 'random-no-clip': 0, 'random-m1': 0, 'format-no-python': -0.03 };

const collapsedCell = (family: string, arm: string, seed: number): boolean =>
  (family === 'bad-code' && arm === 'incorrect' && seed === 2) || (family === 'bad-code' && arm === 'format');

function record(family: string, arm: string, seed: number, batches: number, evalNow: boolean): OrganismLogRecord {
  const noise = 0.003 * (((seed * 7 + batches * 3) % 5) - 2);
  const pCode = START[family] === 0 ? 0 : Math.min(1, Math.max(0, START[family] + batches * (DRIFT[arm] ?? 0) + noise));
  const accuracy = 0.45 + 0.5 * (pCode - START[family]) + (arm === 'ground-truth' ? 0.01 * batches : 0) + noise;
  const collapsed = collapsedCell(family, arm, seed) && batches >= 2;
  return {
    step: batches - 1, batches, pCode, pLanguage: 1 - pCode,
    ...(batches === 0 ? {} : { rolloutAccuracy: accuracy, rolloutCode: pCode, rewardMean: 0.5, clipFirstToken: 0.01 }),
    ...(evalNow ? {
      eval: {
        pCode, pLanguage: 1 - pCode, greedyAccuracy: { code: 0.6, language: 0.3 }, tableMatch: { code: collapsed ? 0.5 : 0.99, language: 0.99 },
        expectedAccuracy: accuracy, collapsed, sampled: null,
      },
    } : {}),
  };
}

export interface FixtureResults {
  dir: string;
  cells: CellSummary[];
  trajectories: TrajectoryRow[];
  claims: ClaimRow[];
}

/** Writes the results folder into a new temporary folder. */
export function writeFixtureResults(spec: GridSpec = FIXTURE_SPEC): FixtureResults {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-report-'));
  const cells: CellSummary[] = [];
  const trajectories: TrajectoryRow[] = [];
  for (const c of gridCells(spec)) {
    const log = Array.from({ length: spec.steps + 1 }, (_, b) => record(c.family, c.arm.name, c.seed, b, b % spec.evalEvery === 0 || b === spec.steps));
    trajectories.push(...log.map((r) => trajectoryRow(c.family, c.arm.name, c.seed, r)));
    const collapsed = collapsedCell(c.family, c.arm.name, c.seed);
    cells.push({
      key: c.key, family: c.family, arm: c.arm.name, seed: c.seed, steps: spec.steps, collapsed, collapsedAt: collapsed ? 2 : null,
      collapsedAnyStyle: collapsed, collapsedAnyStyleAt: collapsed ? 2 : null,
      initial: log[0], final: log[log.length - 1], wallSeconds: 1, spec: cellSpec(spec, c),
    });
  }
  writeGridResults({ spec, cells, trajectories, missing: [] }, dir);
  // Claim 6 is computed on an organism (lib/grid/code-forcing.ts); here a row of its shape, over 800 "problems".
  const diffs = Array.from({ length: 800 }, (_, i) => (i % 10 < 3 ? 1 : 0));
  const claims: ClaimRow[] = [...claimRows(cells), {
    claim: 6, statement: 'the code-forcing prompt helps (Good-Code)', family: 'good-code', comparison: 'code forced vs own choice (paired over held-out problems)',
    metric: 'expectedAccuracy', expect: 'gain', effect: tInterval(diffs), collapses: {}, verdict: 'reproduced', paper: 'Qwen2.5-Math-7B 49.4 -> 64.4 (+15.0)',
  }];
  writeFileSync(join(dir, RESULT_FILES.claims), `${JSON.stringify(claims, null, 2)}\n`);
  return { dir, cells, trajectories, claims };
}
