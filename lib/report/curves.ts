// Training curves, one per group (an arm of the grid, an engine's run), as the mean over runs (seeds)
// after each step with a 95 % Student-t band. The organisms' trajectories (P(code), expected accuracy
// per rollout batch) and engine logs brought back by lib/import (reward, clip fraction per step) are
// drawn by this same code, so a 7B run's curves and the organisms' read alike.
import { tInterval } from '../eval';
import { intervalLines } from './figures';
import type { PlotlyFigure } from './plotly';

/** One group at one step: the mean over its n runs and the 95 % t interval (NaN bounds when n < 2). */
export interface CurvePoint {
  group: string;
  x: number;
  n: number;
  mean: number;
  lo: number;
  hi: number;
}

export interface CurveOptions<R> {
  /** The step (rollout batch, global step). */
  x: (row: R) => number;
  /** The value; null or a non-finite number = not measured in this row (left out). */
  y: (row: R) => number | null;
  /** One curve per group (default: one curve, ''). */
  group?: (row: R) => string;
}

/** Mean and 95 % t interval over the rows of each group and step: groups in first-seen order, steps ascending. */
export function curvePoints<R>(rows: readonly R[], opts: CurveOptions<R>): CurvePoint[] {
  const cells = new Map<string, Map<number, number[]>>();
  for (const r of rows) {
    const y = opts.y(r);
    if (y === null || !Number.isFinite(y)) continue;
    const g = opts.group ? opts.group(r) : '';
    const byX = cells.get(g) ?? new Map<number, number[]>();
    const x = opts.x(r);
    byX.set(x, [...(byX.get(x) ?? []), y]);
    cells.set(g, byX);
  }
  const out: CurvePoint[] = [];
  for (const [group, byX] of cells) {
    for (const x of [...byX.keys()].sort((a, b) => a - b)) {
      const t = tInterval(byX.get(x) as number[]);
      const banded = t.n >= 2;
      out.push({ group, x, n: t.n, mean: t.mean, lo: banded ? t.lo : NaN, hi: banded ? t.hi : NaN });
    }
  }
  return out;
}

export interface CurveFigureOptions<R> extends CurveOptions<R> {
  title?: string;
  xTitle: string;
  yTitle: string;
  /** The number of runs behind a group in its legend name, e.g. (n) => `${n} seeds`: "arm (6 seeds)". Default: no count. */
  runsLabel?: (runs: number) => string;
  /** Dashed horizontal reference lines, e.g. [{ y: 0.65, label: 'prior' }]. */
  reference?: readonly { y: number; label?: string }[];
}

/** The largest number of runs behind any point of each group. */
export function runsPerGroup(points: readonly CurvePoint[]): Map<string, number> {
  const runs = new Map<string, number>();
  for (const p of points) runs.set(p.group, Math.max(runs.get(p.group) ?? 0, p.n));
  return runs;
}

/**
 * Lines of the mean per group with shaded 95 % t bands over runs (no band where a group has one run).
 * An empty `rows` gives a figure with no traces.
 */
export function curveFigure<R>(rows: readonly R[], opts: CurveFigureOptions<R>): PlotlyFigure {
  const points = curvePoints(rows, opts);
  const runs = runsPerGroup(points);
  const label = opts.runsLabel;
  const name = (g: string): string => (label === undefined ? g : `${g} (${label(runs.get(g) ?? 0)})`);
  const fig = intervalLines(points, {
    x: (p) => p.x, value: (p) => p, group: opts.group ? (p) => name(p.group) : undefined, style: 'band',
    title: opts.title, xTitle: opts.xTitle, yTitle: opts.yTitle, reference: opts.reference,
  });
  // Steps are whole numbers: ticks at integers (every step when there are few).
  const last = points.reduce((m, p) => Math.max(m, p.x), 0);
  fig.layout = { ...fig.layout, xaxis: { ...(fig.layout?.xaxis as object), tick0: 0, dtick: last <= 10 ? 1 : last <= 50 ? 5 : undefined, tickformat: 'd' } };
  return fig;
}
