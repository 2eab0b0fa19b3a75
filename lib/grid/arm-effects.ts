// Effects of grid arms over seeds for any per-run metric, with the run counts behind them: an arm's
// final value or its change from the initial organism, per seed, or a paired difference of two arms
// over the seeds both ran (common random numbers), each with its 95 % Student-t interval and the
// arms' collapse counts. The rules are claims.ts's (collapsed runs are left out and counted), made
// available for metrics beyond the claims' three (sampled loops, code frequency, clip fraction, ...)
// and with the per-seed values kept, so notebooks can draw the seeds and say which ones an effect rests on.
import { tInterval, type TInterval } from '../eval';
import { collapseCount, type CollapseCount } from './claims';
import type { TrajectoryRow } from './collect';
import type { CellSummary, OrganismLogRecord } from './run-cell';

/** A number read from one organism.jsonl record; null when that record did not measure it. */
export type RecordMetric = (r: OrganismLogRecord) => number | null;

const finite = (x: number | null | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/** The per-run metrics a cell summary's initial and final records hold. */
export const RUN_METRICS = Object.freeze({
  /** Exact mean P(first token = code) over the 800 held-out problems (every record). */
  pCode: (r: OrganismLogRecord) => finite(r.pCode),
  /** Accuracy of the policy's own style choice, without sampling noise (evaluation records). */
  expectedAccuracy: (r: OrganismLogRecord) => finite(r.eval?.expectedAccuracy),
  /** One temperature-1 sample per evaluation problem: accuracy, code frequency, boxed answers, loops. */
  sampledAccuracy: (r: OrganismLogRecord) => finite(r.eval?.sampled?.accuracy.rate),
  sampledCode: (r: OrganismLogRecord) => finite(r.eval?.sampled?.codeFrequency.rate),
  sampledBoxed: (r: OrganismLogRecord) => finite(r.eval?.sampled?.boxed.rate),
  sampledLoops: (r: OrganismLogRecord) => finite(r.eval?.sampled?.loops.rate),
  /** Forced-greedy accuracy of the code style: what the code-forcing prompt gets. */
  forcedCodeAccuracy: (r: OrganismLogRecord) => finite(r.eval?.greedyAccuracy.code),
  /** Training batch only (absent at batch 0): first-token clip fraction and gradient norm, each averaged over the batch's updates. */
  clipFirstToken: (r: OrganismLogRecord) => finite(r.clipFirstToken),
  gradNorm: (r: OrganismLogRecord) => finite(r.gradNorm),
} satisfies Record<string, RecordMetric>);

export type RunMetricName = keyof typeof RUN_METRICS;

/** A metric by name (RUN_METRICS) or any named reader. */
export type MetricSpec = RunMetricName | { name: string; read: RecordMetric };

const metricName = (m: MetricSpec): string => (typeof m === 'string' ? m : m.name);
const metricReader = (m: MetricSpec): RecordMetric => (typeof m === 'string' ? RUN_METRICS[m] : m.read);

/** One seed's value. */
export interface SeedValue {
  seed: number;
  value: number;
}

/** 'final': the value after the last batch; 'change': final − initial of the same run. */
export type RunValueKind = 'final' | 'change';

function runValue(c: CellSummary, read: RecordMetric, of: RunValueKind): number | null {
  const a = read(c.final);
  if (of === 'final' || a === null) return a;
  const b = read(c.initial);
  return b === null ? null : a - b;
}

/**
 * Per seed, the final value (or change from the start) of every run of the arm; collapsed runs are
 * left out unless `includeCollapsed`, and runs that did not measure the metric are left out. Sorted by seed.
 */
export function armRunValues(
  cells: readonly CellSummary[], family: string, arm: string, metric: MetricSpec, of: RunValueKind, includeCollapsed = false,
): SeedValue[] {
  const read = metricReader(metric);
  const out: SeedValue[] = [];
  for (const c of cells) {
    if (c.family !== family || c.arm !== arm || (c.collapsed && !includeCollapsed)) continue;
    const v = runValue(c, read, of);
    if (v !== null) out.push({ seed: c.seed, value: v });
  }
  return out.sort((x, y) => x.seed - y.seed);
}

/** Per seed where both arms ran intact: value(armA) − value(armB) (final values, or changes from the start). Sorted by seed. */
export function pairedRunValues(
  cells: readonly CellSummary[], family: string, armA: string, armB: string, metric: MetricSpec, of: RunValueKind = 'final',
): SeedValue[] {
  const b = new Map(armRunValues(cells, family, armB, metric, of).map((s) => [s.seed, s.value]));
  const out: SeedValue[] = [];
  for (const s of armRunValues(cells, family, armA, metric, of)) {
    const other = b.get(s.seed);
    if (other !== undefined) out.push({ seed: s.seed, value: s.value - other });
  }
  return out;
}

export interface ArmEffectSpec {
  family: string;
  arm: string;
  /** null or absent: the arm alone; else the arm it is paired with (difference arm − versus per seed). */
  versus?: string | null;
  metric: MetricSpec;
  /** Default 'change' for an arm alone, 'final' for a paired difference. */
  of?: RunValueKind;
}

export interface ArmEffect {
  family: string;
  arm: string;
  versus: string | null;
  metric: string;
  of: RunValueKind;
  /** The values the interval is over, one per intact seed (paired: per seed intact in both arms). */
  values: SeedValue[];
  /** Mean with its 95 % Student-t interval (infinite with one value); null without values. */
  effect: TInterval | null;
  /** Per arm involved: collapsed runs (left out) and all runs. */
  collapses: Record<string, CollapseCount>;
}

/** An arm's final value or change from the start, or a paired difference of two arms, over seeds. */
export function armEffect(cells: readonly CellSummary[], s: ArmEffectSpec): ArmEffect {
  const versus = s.versus ?? null;
  const of = s.of ?? (versus === null ? 'change' : 'final');
  const values = versus === null ? armRunValues(cells, s.family, s.arm, s.metric, of) : pairedRunValues(cells, s.family, s.arm, versus, s.metric, of);
  const arms = versus === null ? [s.arm] : [s.arm, versus];
  return {
    family: s.family, arm: s.arm, versus, metric: metricName(s.metric), of, values,
    effect: values.length === 0 ? null : tInterval(values.map((v) => v.value)),
    collapses: Object.fromEntries(arms.map((a) => [a, collapseCount(cells, s.family, a)])),
  };
}

/** The trajectory rows of runs that did not collapse (what every effect and curve uses). */
export function intactTrajectories(cells: readonly CellSummary[], rows: readonly TrajectoryRow[]): TrajectoryRow[] {
  const collapsed = new Set(cells.filter((c) => c.collapsed).map((c) => `${c.family}/${c.arm}/${c.seed}`));
  return rows.filter((r) => !collapsed.has(`${r.family}/${r.arm}/${r.seed}`));
}
