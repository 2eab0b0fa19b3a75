import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { notebookSink } from './kernel';
import type { DisplaySink, MimeBundle } from './mime';
import { plotBundle, figureJson, type PlotlyFigure, type PlotOptions } from './plot';
import { closeRenderer, findChromium, renderPng } from './chromium';
import { tableBundle, type TableInput, type TableOptions } from './table';

/** A sink that prints the text/plain part of each bundle (plain node scripts, the CLI, tests). */
export function terminalSink(out: { write(text: string): unknown } = process.stdout): DisplaySink {
  return {
    kind: 'terminal',
    show(bundle: MimeBundle): void {
      const text = bundle['text/plain'];
      if (typeof text === 'string' && text !== '') out.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

/** The tslab kernel's sink inside a notebook, else a terminal sink on stdout. */
export function defaultSink(): DisplaySink {
  return notebookSink() ?? terminalSink();
}

interface SinkOption {
  sink?: DisplaySink;
}

/** Shows a table (arquero table, records or danfo DataFrame): HTML in a notebook, markdown text elsewhere. */
export function showTable(input: TableInput, options: TableOptions & SinkOption = {}): void {
  (options.sink ?? defaultSink()).show(tableBundle(input, options));
}

function configValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Number(value.toPrecision(4)));
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Shows a flat record (a resolved config, a run's summary) as a two-column key/value table; 4 significant digits. */
export function showConfig(record: object, options: { caption?: string } & SinkOption = {}): void {
  const rows = Object.entries(record).map(([key, value]) => ({
    key,
    value: configValue(value),
  }));
  showTable(rows, { limit: rows.length, caption: options.caption, sink: options.sink });
}

/** Shows markdown text (rendered in a notebook, printed as-is elsewhere). */
export function showMarkdown(markdown: string, options: SinkOption = {}): void {
  (options.sink ?? defaultSink()).show({ 'text/markdown': markdown, 'text/plain': markdown });
}

export interface PlotCallOptions extends PlotOptions, SinkOption {
  /** Also write the figure to this file: `.png` (needs chromium) or `.json` (plotly JSON). */
  file?: string;
}

async function writeFigureFile(fig: PlotlyFigure, file: string, options: PlotOptions): Promise<void> {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    writeFileSync(file, `${JSON.stringify(figureJson(fig), null, 1)}\n`);
    return;
  }
  if (ext !== '.png') throw new Error(`plot: cannot write "${file}": use a .png or .json file name`);
  if (!findChromium()) throw new Error(`plot: cannot write "${file}": no chromium found; install chromium or set CHROMIUM_PATH`);
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const json = figureJson(fig);
  writeFileSync(file, await renderPng({ data: json.data, layout: { width, height, ...json.layout } }, { width, height }));
}

/**
 * Shows a plotly figure. In a notebook: one output with plotly JSON + PNG (or an HTML table without chromium)
 * + text. Elsewhere it shows nothing, so library users' scripts stay quiet; pass `file` to keep the figure.
 * Await it (`await plot(fig)`): rendering the PNG is asynchronous.
 */
export async function plot(fig: PlotlyFigure, options: PlotCallOptions = {}): Promise<void> {
  const sink = options.sink ?? defaultSink();
  if (sink.kind === 'notebook') sink.show(await plotBundle(fig, options));
  if (options.file) {
    await writeFigureFile(fig, options.file, options);
    // Outside a kernel nobody else will close the browser, and an open one keeps node from exiting.
    if (sink.kind !== 'notebook') await closeRenderer();
  }
}
