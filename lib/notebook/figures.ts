import type { PlotlyFigure, PlotlyTrace } from './plot';

/** A rate with its confidence interval (lib/eval's Proportion has this shape). */
export interface IntervalValue {
  rate: number;
  low: number;
  high: number;
}

export interface IntervalBarsOptions<R> {
  /** Category on the x axis. */
  x: (row: R) => string;
  /** The bar height and its interval. */
  value: (row: R) => IntervalValue;
  /** One bar colour (trace) per group, side by side; default one trace. */
  group?: (row: R) => string;
  title?: string;
  yTitle?: string;
  /** Show rates as percentages (default true). */
  percent?: boolean;
}

/**
 * Bars with asymmetric error bars from intervals (e.g. Wilson 95 %), grouped when `group` is given.
 * Rates that are NaN (n = 0) become gaps.
 */
export function intervalBars<R>(rows: readonly R[], options: IntervalBarsOptions<R>): PlotlyFigure {
  const percent = options.percent ?? true;
  const scale = percent ? 100 : 1;
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const g = options.group ? options.group(r) : '';
    const list = groups.get(g) ?? [];
    list.push(r);
    groups.set(g, list);
  }
  const num = (v: number): number | null => (Number.isFinite(v) ? v * scale : null);
  const data: PlotlyTrace[] = [...groups].map(([name, rs]) => {
    const vals = rs.map(options.value);
    const trace: PlotlyTrace = {
      type: 'bar',
      x: rs.map(options.x),
      y: vals.map((v) => num(v.rate)),
      error_y: {
        type: 'data',
        symmetric: false,
        array: vals.map((v) => (Number.isFinite(v.rate) ? (v.high - v.rate) * scale : 0)),
        arrayminus: vals.map((v) => (Number.isFinite(v.rate) ? (v.rate - v.low) * scale : 0)),
      },
    };
    if (options.group) trace.name = name;
    return trace;
  });
  const layout: Record<string, unknown> = {
    barmode: 'group',
    yaxis: { title: { text: options.yTitle ?? (percent ? '%' : '') }, rangemode: 'tozero' },
    margin: { t: options.title ? 50 : 20, b: 90 },
  };
  if (options.title) layout.title = { text: options.title };
  if (!options.group) layout.showlegend = false;
  return { data, layout };
}
