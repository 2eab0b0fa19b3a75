import type { PlotlyFigure, PlotlyTrace } from './plotly';

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
  /** Title of the category axis (none by default). */
  xTitle?: string;
  yTitle?: string;
  /** Show rates as percentages (default true). */
  percent?: boolean;
}

/** Rows by group name, in first-seen order ('' for all rows when there is no grouping). */
function groupRows<R>(rows: readonly R[], group: ((r: R) => string) | undefined): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const g = group ? group(r) : '';
    const list = groups.get(g) ?? [];
    list.push(r);
    groups.set(g, list);
  }
  return groups;
}

/**
 * Bars with asymmetric error bars from intervals (e.g. Wilson 95 %), grouped when `group` is given.
 * Rates that are NaN (n = 0) become gaps.
 */
export function intervalBars<R>(rows: readonly R[], options: IntervalBarsOptions<R>): PlotlyFigure {
  const percent = options.percent ?? true;
  const scale = percent ? 100 : 1;
  const groups = groupRows(rows, options.group);
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
  if (options.xTitle) layout.xaxis = { title: { text: options.xTitle } };
  if (!options.group) layout.showlegend = false;
  return { data, layout };
}

/** A value with its interval (e.g. a mean and its 95 % interval). */
export interface PointInterval {
  mean: number;
  lo: number;
  hi: number;
}

export interface IntervalLinesOptions<R> {
  /** Position on the x axis (numbers for sweeps and steps, strings for categories). */
  x: (row: R) => number | string;
  /** One series per entry: its legend name and the point with its interval. Default: { value }. */
  series?: Readonly<Record<string, (row: R) => PointInterval>>;
  /** Shorthand for a single series. */
  value?: (row: R) => PointInterval;
  /** One line per group (e.g. per arm); with several series each group × series is a trace. */
  group?: (row: R) => string;
  /** 'errorbars' (default): points with asymmetric error bars; 'band': a line with a shaded interval. */
  style?: 'errorbars' | 'band';
  /** Join the points with lines (default: true for numeric x, false for categories). */
  lines?: boolean;
  /** Dashed horizontal reference lines, e.g. [{ y: 0 }] or [{ y: 0.65, label: 'prior' }]. */
  reference?: readonly { y: number; label?: string }[];
  /** Dashed vertical reference lines, e.g. a predicted crossing. */
  referenceX?: readonly { x: number; label?: string }[];
  title?: string;
  xTitle?: string;
  yTitle?: string;
}

/** plotly's default colour cycle, so a group's line and band share a colour. */
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function translucent(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * Points or lines with 95 % intervals: error bars (sweeps, arms) or shaded bands (trajectories).
 * Non-finite means become gaps. Traces are one per group × series, in order of first appearance.
 */
export function intervalLines<R>(rows: readonly R[], options: IntervalLinesOptions<R>): PlotlyFigure {
  const series = options.series ?? (options.value ? { value: options.value } : undefined);
  if (!series || Object.keys(series).length === 0) throw new Error('intervalLines: give `value` or at least one entry in `series`');
  const style = options.style ?? 'errorbars';
  const groups = groupRows(rows, options.group);
  const numericX = rows.length > 0 && rows.every((r) => typeof options.x(r) === 'number');
  const lines = options.lines ?? numericX;
  const seriesNames = Object.keys(series);
  const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const data: PlotlyTrace[] = [];
  let colour = 0;
  for (const [groupName, rs] of groups) {
    for (const seriesName of seriesNames) {
      const c = COLOURS[colour++ % COLOURS.length];
      const name = !options.group ? seriesName : seriesNames.length === 1 ? groupName : `${groupName} · ${seriesName}`;
      const xs = rs.map(options.x);
      const vals = rs.map(series[seriesName]);
      const ys = vals.map((v) => num(v.mean));
      const line: PlotlyTrace = {
        type: 'scatter', name, x: xs, y: ys, mode: lines ? 'lines+markers' : 'markers',
        line: { color: c }, marker: { color: c, size: style === 'band' ? 4 : 7 },
      };
      if (style === 'errorbars') {
        line.error_y = {
          type: 'data', symmetric: false, color: c,
          array: vals.map((v) => (Number.isFinite(v.mean) ? v.hi - v.mean : 0)),
          arrayminus: vals.map((v) => (Number.isFinite(v.mean) ? v.mean - v.lo : 0)),
        };
        data.push(line);
      } else {
        // The band: the upper edge, then the lower edge filled up to it, both hidden from the legend.
        const edge = { type: 'scatter', x: xs, mode: 'lines', line: { width: 0, color: c }, showlegend: false, hoverinfo: 'skip' };
        data.push({ ...edge, name: `${name} hi`, y: vals.map((v) => num(v.hi)) });
        data.push({ ...edge, name: `${name} lo`, y: vals.map((v) => num(v.lo)), fill: 'tonexty', fillcolor: translucent(c, 0.2) });
        data.push(line);
      }
    }
  }
  const dash = { dash: 'dash', color: '#555', width: 1 };
  const shapes = [
    ...(options.reference ?? []).map((r) => ({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: r.y, y1: r.y, line: dash })),
    ...(options.referenceX ?? []).map((r) => ({ type: 'line', yref: 'paper', y0: 0, y1: 1, x0: r.x, x1: r.x, line: dash })),
  ];
  const annotations = [
    ...(options.reference ?? []).filter((r) => r.label).map((r) => ({ xref: 'paper', x: 1, y: r.y, text: r.label, showarrow: false, xanchor: 'right', yanchor: 'bottom' })),
    ...(options.referenceX ?? []).filter((r) => r.label).map((r) => ({ yref: 'paper', y: 1, x: r.x, text: r.label, showarrow: false, xanchor: 'left', yanchor: 'top' })),
  ];
  const layout: Record<string, unknown> = {
    xaxis: { title: { text: options.xTitle ?? '' } },
    yaxis: { title: { text: options.yTitle ?? '' } },
    margin: { t: options.title ? 50 : 20 },
    legend: { traceorder: 'normal' }, // filled traces would otherwise list the legend in reverse
  };
  if (!numericX && seriesNames.length * groups.size > 1) layout.scattermode = 'group';
  if (shapes.length > 0) layout.shapes = shapes;
  if (annotations.length > 0) layout.annotations = annotations;
  if (options.title) layout.title = { text: options.title };
  if (seriesNames.length * groups.size === 1) layout.showlegend = false;
  return { data, layout };
}
