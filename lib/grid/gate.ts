// The robustness gate (issue 9): a family's organism and trainer settings are fit to test the claims
// only if its ground-truth and random arms collapse in at most 10% of runs over the full run length.
// The gate is read twice: on the evaluation grid's own runs (gateFromCells, reported beside the
// claims), and on probe seeds that are never evaluation seeds (runGateProbes), where a remedy (a
// stronger-sharpened organism, a lower lr) is judged before it is adopted, blind to the claims.
import { resolve } from 'node:path';
import { wilsonInterval, type Proportion } from '../eval';
import type { FamilyName } from '../organisms';
import { collectGrid } from './collect';
import type { CellSummary } from './run-cell';
import { runGrid, type RunGridOptions } from './runner';
import { ARMS, type GridSpec } from './spec';

/** The arms the gate bounds. */
export const GATE_ARMS: readonly string[] = Object.freeze(['ground-truth', 'random']);
/** The largest collapse rate the gate allows. */
export const GATE_MAX_COLLAPSE_RATE = 0.1;
/** Probe seeds of the gate: never evaluation seeds (1-25) nor the tuning rule's (101-103). */
export const GATE_PROBE_SEEDS: readonly number[] = Object.freeze(Array.from({ length: 10 }, (_, i) => 104 + i));

export interface GateArm {
  family: string;
  arm: string;
  /** Collapsed runs out of all runs, with a 95% Wilson interval on the rate. */
  collapses: Proportion;
  /** Seed and first collapsed batch of each collapsed run. */
  collapsedRuns: { seed: number; at: number | null }[];
  /** The observed rate is at most GATE_MAX_COLLAPSE_RATE. */
  passes: boolean;
}

/** The gate of one family from finished runs (the grid's, or probes'): one row per gate arm that ran. */
export function gateFromCells(cells: readonly CellSummary[], family: string): GateArm[] {
  const out: GateArm[] = [];
  for (const arm of GATE_ARMS) {
    const runs = cells.filter((c) => c.family === family && c.arm === arm);
    if (runs.length === 0) continue;
    const collapsed = runs.filter((c) => c.collapsed);
    const collapses = wilsonInterval(collapsed.length, runs.length);
    out.push({
      family, arm, collapses,
      collapsedRuns: collapsed.map((c) => ({ seed: c.seed, at: c.collapsedAt })).sort((a, b) => a.seed - b.seed),
      passes: collapses.rate <= GATE_MAX_COLLAPSE_RATE,
    });
  }
  return out;
}

export interface GateProbeOptions {
  /** Arms to probe (default both gate arms). */
  arms?: readonly string[];
  seeds?: readonly number[];
  /** A folder of <family>-s1 organisms instead of the base spec's. */
  organisms?: string;
  /** SGD lr instead of the base spec's (the family's tuned one). */
  lr?: number;
}

/** The probe grid: the base spec's run length and evaluation for one family, on the gate's probe seeds. */
export function gateProbeSpec(base: GridSpec, family: FamilyName, opts: GateProbeOptions = {}): GridSpec {
  const lr = opts.lr ?? base.lr[family];
  if (lr === undefined) throw new Error(`gateProbeSpec: no learning rate for family "${family}" in grid "${base.name}"; pass one`);
  const arms = (opts.arms ?? GATE_ARMS).map((a) => {
    const spec = ARMS[a];
    if (spec === undefined) throw new Error(`gateProbeSpec: unknown arm "${a}"`);
    return spec;
  });
  return {
    ...base,
    name: `gate-${family}`,
    families: [family],
    arms,
    seeds: [...(opts.seeds ?? GATE_PROBE_SEEDS)],
    lr: { [family]: lr },
    organismRoot: opts.organisms === undefined ? base.organismRoot ?? null : resolve(opts.organisms),
  };
}

/** Runs (or resumes) the probe grid in `out` and returns its gate. */
export async function runGateProbes(spec: GridSpec, out: string, opts: RunGridOptions = {}): Promise<GateArm[]> {
  if (spec.families.length !== 1) throw new Error(`runGateProbes: one family per probe grid, received ${spec.families.join(', ')}`);
  const r = await runGrid(spec, out, opts);
  if (r.failed > 0 || r.stopped) throw new Error(`gate probes in ${out}: ${r.failed} runs failed${r.stopped ? ' (stopped)' : ''}`);
  return gateFromCells(collectGrid(out).cells, spec.families[0]);
}

/** One line per gate arm, e.g. "bad-code ground-truth: 2/10 collapsed (20%, 95% 5.7-51.0%) at s2@20 s9@25: fails (> 10%)". */
export function describeGate(rows: readonly GateArm[]): string {
  return rows.map((g) => {
    const c = g.collapses;
    const pct = (x: number): string => (100 * x).toFixed(1);
    const where = g.collapsedRuns.length === 0 ? '' : ` at ${g.collapsedRuns.map((r) => `s${r.seed}@${r.at ?? '?'}`).join(' ')}`;
    return `${g.family} ${g.arm}: ${c.k}/${c.n} collapsed (${pct(c.rate)}%, 95% ${pct(c.low)}-${pct(c.high)}%)${where}: ${g.passes ? 'passes' : `fails (> ${100 * GATE_MAX_COLLAPSE_RATE}%)`}`;
  }).join('\n');
}
