import { escapeHtml, type MimeBundle } from './mime';
import { findChromium, renderPng } from './chromium';
import type { PlotlyFigure, PlotlyTrace } from '../report/plotly';

export type { PlotlyFigure, PlotlyTrace } from '../report/plotly';

export interface PlotOptions {
  /** Static image size in CSS pixels (default 720 x 400). */
  width?: number;
  height?: number;
  /**
   * Render a static PNG with headless chromium (default: yes when one is found and $RLVR_PLOT_PNG is not
   * `0`/`off`). Without it the bundle carries an HTML table of the traces instead.
   */
  png?: boolean;
}

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The figure as plain JSON (typed arrays become arrays), checked to have a `data` array. */
export function figureJson(fig: PlotlyFigure): PlotlyFigure {
  if (typeof fig !== 'object' || fig === null || !Array.isArray(fig.data)) {
    throw new Error('plot: figure.data must be an array of plotly traces, e.g. { data: [{ type: "bar", x, y }] }');
  }
  const text = JSON.stringify(fig, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
  return JSON.parse(text) as PlotlyFigure;
}

function titleOf(fig: PlotlyFigure): string | undefined {
  const t = fig.layout?.title;
  if (typeof t === 'string') return t;
  if (typeof t === 'object' && t !== null && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return undefined;
}

function traceLength(t: PlotlyTrace): number {
  return Math.max(t.x?.length ?? 0, t.y?.length ?? 0);
}

/** One line per figure for text/plain: title and traces. */
export function figureSummary(fig: PlotlyFigure): string {
  const traces = fig.data.map((t, i) => `${t.type ?? 'scatter'} "${t.name ?? `trace ${i}`}" (${traceLength(t)} points)`);
  return `Figure${titleOf(fig) ? ` "${titleOf(fig)}"` : ''}: ${traces.join('; ') || 'no traces'}`;
}

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  if (v === null || v === undefined) return '';
  return escapeHtml(String(v));
}

/**
 * A script-free HTML stand-in for a figure: its title and each trace's values as a small table
 * (x, y and symmetric/asymmetric error bars), at most `maxRows` rows per trace.
 */
export function figureHtmlFallback(fig: PlotlyFigure, note?: string, maxRows = 30): string {
  const parts: string[] = [];
  const title = titleOf(fig);
  if (title) parts.push(`<div><b>${escapeHtml(title)}</b></div>`);
  fig.data.forEach((t, i) => {
    const n = traceLength(t);
    const cols: [string, ArrayLike<unknown> | undefined][] = [
      ['x', t.x],
      ['y', t.y],
      ['+err', t.error_y?.array],
      ['-err', t.error_y?.arrayminus],
    ];
    const used = cols.filter(([, v]) => v !== undefined && v.length > 0) as [string, ArrayLike<unknown>][];
    const head = used.map(([k]) => `<th>${k}</th>`).join('');
    const rows: string[] = [];
    for (let r = 0; r < Math.min(n, maxRows); r++) rows.push(`<tr>${used.map(([, v]) => `<td>${cell(v[r])}</td>`).join('')}</tr>`);
    const more = n > maxRows ? `<tr><td colspan="${used.length}">… ${n - maxRows} more</td></tr>` : '';
    const name = escapeHtml(t.name ?? `trace ${i}`);
    parts.push(`<table><caption>${escapeHtml(t.type ?? 'scatter')}: ${name}</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}${more}</tbody></table>`);
  });
  if (note) parts.push(`<div><i>${escapeHtml(note)}</i></div>`);
  return `<div class="rlvr-plot-fallback">${parts.join('')}</div>`;
}

function pngWanted(options: PlotOptions): boolean {
  if (options.png !== undefined) return options.png;
  const env = (process.env.RLVR_PLOT_PNG ?? '').toLowerCase();
  return env !== '0' && env !== 'off' && env !== 'false';
}

/**
 * The MIME bundle for a figure: plotly JSON (JupyterLab / VS Code draw it interactively), a static PNG that
 * exported HTML and code-hosting sites show (or, without chromium, a script-free HTML table of the traces),
 * and a text/plain summary. No image/svg+xml: nbconvert 6.5 strips SVG from HTML exports.
 */
export async function plotBundle(fig: PlotlyFigure, options: PlotOptions = {}): Promise<MimeBundle> {
  const json = figureJson(fig);
  const bundle: MimeBundle = { [PLOTLY_MIME]: json, 'text/plain': figureSummary(json) };
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  let note: string | undefined;
  if (pngWanted(options) && findChromium()) {
    try {
      const png = await renderPng({ data: json.data, layout: { width, height, ...json.layout } }, { width, height });
      bundle['image/png'] = png.toString('base64');
      return bundle;
    } catch (e) {
      note = `static image unavailable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
  }
  bundle['text/html'] = figureHtmlFallback(json, note);
  return bundle;
}
