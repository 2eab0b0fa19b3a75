// The learning-rate rule, fixed before any evaluation run and blind to the outcomes under test
// (organism-prototype-3, "Recommended design"): probe seeds that are never evaluation seeds run the
// clipped random-reward arm for the planned run length at each candidate SGD lr, largest first;
// the family's lr is the largest candidate whose first-token clip fraction, averaged over batches
// 1-5 and the probe seeds, is at most 3%, and whose probe runs all keep their answer tables
// (no collapse). It never looks at P(code) or accuracy.
import { join } from 'node:path';
import { readRecords } from '../grpo';
import type { FamilyName } from '../organisms';
import { cellDir, runGrid, type RunGridOptions } from './runner';
import { ORGANISM_LOG, DONE_FILE, type CellSummary, type OrganismLogRecord } from './run-cell';
import { ARMS, GRID_ALGO, gridCells, type GridSpec } from './spec';
import { readFileSync } from 'node:fs';

export interface TuningRule {
  /** SGD learning rates, tried largest first. */
  candidates: number[];
  probeSeeds: number[];
  /** Rollout batches of a probe run: the planned run length. */
  probeBatches: number;
  /** Batches whose first-token clip fraction is averaged. */
  clipBatches: number;
  maxClipFraction: number;
}

export const TUNING_RULE: Readonly<TuningRule> = Object.freeze({
  candidates: [0.1, 0.07, 0.05, 0.03],
  probeSeeds: [101, 102, 103],
  probeBatches: 25,
  clipBatches: 5,
  maxClipFraction: 0.03,
});

export interface ProbeResult {
  lr: number;
  seed: number;
  clipFirstToken: number;
  collapsed: boolean;
  collapsedAt: number | null;
}

export interface FamilyTuning {
  family: FamilyName;
  /** The chosen lr; null when no candidate passed (then the grid cannot run this family). */
  lr: number | null;
  rule: TuningRule;
  probes: ProbeResult[];
  /** One line: why this lr. */
  reason: string;
}

export function probeSpec(family: FamilyName, lr: number, rule: TuningRule): GridSpec {
  return {
    name: `tune-${family}-lr${lr}`, families: [family], arms: [ARMS.random], seeds: rule.probeSeeds,
    steps: rule.probeBatches, evalEvery: 5, evalProblems: 200, algo: GRID_ALGO, lr: { [family]: lr },
  };
}

function probeResults(out: string, spec: GridSpec, rule: TuningRule, lr: number): ProbeResult[] {
  return gridCells(spec).map((c) => {
    const dir = cellDir(out, c.key);
    const done = JSON.parse(readFileSync(join(dir, DONE_FILE), 'utf8')) as CellSummary;
    const log = readRecords<OrganismLogRecord>(join(dir, ORGANISM_LOG)).filter((r) => r.batches >= 1 && r.batches <= rule.clipBatches);
    const clip = log.reduce((s, r) => s + (r.clipFirstToken ?? 0), 0) / Math.max(1, log.length);
    return { lr, seed: c.seed, clipFirstToken: clip, collapsed: done.collapsed, collapsedAt: done.collapsedAt };
  });
}

/** Applies the rule for one family; probe runs go to <out>/<family>/lr-<lr>/ and are reused when present. */
export async function tuneFamily(family: FamilyName, out: string, rule: TuningRule = TUNING_RULE, opts: RunGridOptions = {}): Promise<FamilyTuning> {
  const probes: ProbeResult[] = [];
  for (const lr of [...rule.candidates].sort((a, b) => b - a)) {
    const spec = probeSpec(family, lr, rule);
    const dir = join(out, family, `lr-${lr}`);
    const r = await runGrid(spec, dir, opts);
    if (r.failed > 0 || r.stopped) throw new Error(`tuning ${family} at lr ${lr}: ${r.failed} probe runs failed${r.stopped ? ' (stopped)' : ''}; see ${join(dir, 'failures.jsonl')}`);
    const got = probeResults(dir, spec, rule, lr);
    probes.push(...got);
    const clip = got.reduce((s, p) => s + p.clipFirstToken, 0) / got.length;
    const collapsed = got.filter((p) => p.collapsed).length;
    if (clip <= rule.maxClipFraction && collapsed === 0) {
      return { family, lr, rule, probes, reason: `largest candidate with mean first-token clip ${(100 * clip).toFixed(2)}% <= ${100 * rule.maxClipFraction}% and no probe collapsed` };
    }
  }
  return { family, lr: null, rule, probes, reason: 'no candidate met the rule' };
}
