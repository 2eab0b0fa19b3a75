// The learning-rate rule, fixed before any evaluation run and blind to the outcomes under test
// (organism-prototype-3, "Recommended design"): probe seeds that are never evaluation seeds run the
// clipped random-reward arm for the planned run length at each candidate SGD lr, largest first;
// the family's lr is the largest candidate whose first-token clip fraction, averaged over batches
// 1-5 and the probe seeds, is at most 3%, and whose probe runs all keep their answer tables
// (no collapse). It never looks at P(code) or accuracy.
// Session 4 added the ground-truth arm to the collapse probes: the robustness gate bounds the
// collapse rate of the ground-truth and random arms, and Bad-Code's ground truth broke its tables
// in 3 of 4 evaluation seeds at the lr the random probes alone allowed. The clip criterion still
// reads the random probes only (the bias under test lives in that arm).
import { join } from 'node:path';
import { readRecords } from '../grpo';
import { family as familyByName, type FamilyName } from '../organisms';
import { cellDir, runGrid, type RunGridOptions } from './runner';
import { collapseOf, ORGANISM_LOG, DONE_FILE, type OrganismLogRecord } from './run-cell';
import { ARMS, GRID_ALGO, gridCells, type GridSpec } from './spec';

/** An arm of ARMS by name. */
type ArmName = string;
import { existsSync } from 'node:fs';

export interface TuningRule {
  /** SGD learning rates, tried largest first. */
  candidates: number[];
  probeSeeds: number[];
  /** Arms whose probes must all keep their tables; the clip fraction is read on the first. */
  probeArms: ArmName[];
  /** Rollout batches of a probe run: the planned run length. */
  probeBatches: number;
  /** Batches whose first-token clip fraction is averaged. */
  clipBatches: number;
  maxClipFraction: number;
}

export const TUNING_RULE: Readonly<TuningRule> = Object.freeze({
  candidates: [0.1, 0.07, 0.05, 0.03],
  probeSeeds: [101, 102, 103],
  probeArms: ['random', 'ground-truth'],
  probeBatches: 25,
  clipBatches: 5,
  maxClipFraction: 0.03,
});

export interface ProbeResult {
  lr: number;
  arm: ArmName;
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

/** The probes of one arm at one lr (the random arm keeps its pre-session-4 name, so its runs are reused). */
export function probeSpec(family: FamilyName, lr: number, rule: TuningRule, arm: ArmName = 'random', organismRoot: string | null = null): GridSpec {
  return {
    name: `tune-${family}-lr${lr}${arm === 'random' ? '' : `-${arm}`}`, families: [family], arms: [ARMS[arm]], seeds: rule.probeSeeds,
    steps: rule.probeBatches, evalEvery: 5, evalProblems: 200, algo: GRID_ALGO, lr: { [family]: lr },
    // Only a candidate organism is named, so the probe folders of the shipped ones stay valid.
    ...(organismRoot === null ? {} : { organismRoot }),
  };
}

/**
 * The probes' results, their collapse judged now from organism.jsonl with the current detector (collapseOf),
 * not read from done.json: probes run before a refinement of the detector are judged like the grid's runs.
 */
function probeResults(out: string, spec: GridSpec, rule: TuningRule, lr: number, arm: ArmName): ProbeResult[] {
  return gridCells(spec).map((c) => {
    const dir = cellDir(out, c.key);
    if (!existsSync(join(dir, DONE_FILE))) throw new Error(`${dir}: probe run incomplete (no ${DONE_FILE})`);
    const log = readRecords<OrganismLogRecord>(join(dir, ORGANISM_LOG));
    const early = log.filter((r) => r.batches >= 1 && r.batches <= rule.clipBatches);
    const clip = early.reduce((s, r) => s + (r.clipFirstToken ?? 0), 0) / Math.max(1, early.length);
    const { collapsed, collapsedAt } = collapseOf(log, familyByName(c.family));
    return { lr, arm, seed: c.seed, clipFirstToken: clip, collapsed, collapsedAt };
  });
}

/** Runs (or reuses) one arm's probes at one lr under <out>/<family>/lr-<lr>[-<arm>]/. */
async function runProbes(family: FamilyName, out: string, rule: TuningRule, lr: number, arm: ArmName, opts: TuneOptions): Promise<ProbeResult[]> {
  const spec = probeSpec(family, lr, rule, arm, opts.organismRoot ?? null);
  const dir = join(out, family, `lr-${lr}${arm === 'random' ? '' : `-${arm}`}`);
  const r = await runGrid(spec, dir, opts);
  if (r.failed > 0 || r.stopped) throw new Error(`tuning ${family} at lr ${lr} (${arm}): ${r.failed} probe runs failed${r.stopped ? ' (stopped)' : ''}; see ${join(dir, 'failures.jsonl')}`);
  return probeResults(dir, spec, rule, lr, arm);
}

/** Why one arm's probes at one lr fail the rule (null: they pass). The clip criterion applies to the first arm only. */
export function probeFailure(probes: readonly ProbeResult[], rule: TuningRule): string | null {
  if (probes.length === 0) return 'no probes';
  const arm = probes[0].arm;
  const clip = probes.reduce((s, p) => s + p.clipFirstToken, 0) / probes.length;
  if (arm === rule.probeArms[0] && clip > rule.maxClipFraction) return `${arm} probes: mean first-token clip ${(100 * clip).toFixed(2)}% > ${100 * rule.maxClipFraction}%`;
  const collapsed = probes.filter((p) => p.collapsed).length;
  return collapsed > 0 ? `${collapsed} ${arm} probes collapsed` : null;
}

export interface TuneOptions extends RunGridOptions {
  /** A folder of <family>-s1 organisms instead of the shipped data/organisms (absolute; use its own `out`). */
  organismRoot?: string | null;
}

/**
 * Applies the rule for one family, candidates largest first: the clip criterion on the first probe
 * arm, then no collapse on any probe arm (later arms run only when the earlier ones pass).
 */
export async function tuneFamily(family: FamilyName, out: string, rule: TuningRule = TUNING_RULE, opts: TuneOptions = {}): Promise<FamilyTuning> {
  const probes: ProbeResult[] = [];
  for (const lr of [...rule.candidates].sort((a, b) => b - a)) {
    let failed: string | null = null;
    for (const arm of rule.probeArms) {
      const got = await runProbes(family, out, rule, lr, arm, opts);
      probes.push(...got);
      failed = probeFailure(got, rule);
      if (failed !== null) break;
    }
    if (failed === null) {
      const clip = probes.filter((p) => p.lr === lr && p.arm === rule.probeArms[0]).reduce((s, p, _, a) => s + p.clipFirstToken / a.length, 0);
      return { family, lr, rule, probes, reason: `largest candidate with mean first-token clip ${(100 * clip).toFixed(2)}% <= ${100 * rule.maxClipFraction}% (${rule.probeArms[0]} probes) and no ${rule.probeArms.join(' or ')} probe collapsed` };
    }
  }
  return { family, lr: null, rule, probes, reason: 'no candidate met the rule' };
}
