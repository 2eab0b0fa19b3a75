// plotly figures as plain data: what every figure builder returns, drawn by lib/notebook's plot() in a
// notebook and by the HTML report (plotly.js inlined once). Nothing here draws.
import { projectRequire } from '../util';

/** A plotly trace: only the fields we read are named; the rest pass through to plotly untouched. */
export interface PlotlyTrace {
  type?: string;
  name?: string;
  x?: readonly unknown[] | ArrayLike<number>;
  y?: readonly unknown[] | ArrayLike<number>;
  error_y?: { array?: readonly number[]; arrayminus?: readonly number[]; [key: string]: unknown };
  [key: string]: unknown;
}

/** A plotly figure as plotly.js takes it (`Plotly.newPlot(el, fig.data, fig.layout)`). */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
}

/** The file of plotly.js's minified bundle (the plotly.js-dist-min package). */
export function plotlyBundlePath(): string {
  return projectRequire().resolve('plotly.js-dist-min');
}
