// What a committed notebook must satisfy: outputs of a full run for every code cell, a current stamp (stamp.ts), no
// error or stderr output, no volatile metadata, no inlined plotting library, and a size that still diffs.
// Used by `npm run notebooks` (scripts/notebooks.ts) before it writes a notebook, and by
// test/notebooks/committed-outputs.test.ts on every committed notebook. Not part of the notebook-facing API (index.ts).
import { readFileSync, statSync } from 'node:fs';
import { stampProblems } from './stamp';
import { PLOTLY_MIME } from './plot';

/**
 * Most bytes one committed notebook may have. Measured on the full runs of 2026-12-02 (README, Notebooks): 01, 02, 03
 * and 08 are 0.17, 0.25, 0.36 and 0.21 MB (MiB, as `npm run notebooks` prints them), 60-80 % of it the figures' PNGs (3-4 figures each, 35-92 KB of base64 per
 * figure at 720 x 400), the rest tables, plotly JSON (4-12 KB per notebook) and the stamp (~7 KB). 2 MB is five times
 * the largest, room for about 20 figures like 03's, and below one inlined copy of plotly.js (4.8 MB), so a notebook
 * that inlines the library fails on size as well as on its signature.
 */
export const NOTEBOOK_SIZE_BUDGET = 2 * 1024 * 1024;

export interface StoredOutput {
  output_type?: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface StoredCell {
  cell_type?: string;
  source?: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: StoredOutput[];
}

export interface StoredNotebook {
  cells?: StoredCell[];
  metadata?: Record<string, unknown>;
}

export const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join('') : (t ?? ''));

function firstLine(cell: StoredCell): string {
  const line = joinText(cell.source).split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** Error outputs and stderr text, each naming its cell (tslab reports compile and runtime errors as stderr). */
export function errorOutputs(nb: StoredNotebook, maxChars = 1500): string[] {
  const problems: string[] = [];
  (nb.cells ?? []).forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') {
        const text = `${out.ename}: ${out.evalue}\n${(out.traceback ?? []).join('\n')}`;
        problems.push(`cell ${i} (${firstLine(cell)}) raised an error:\n${excerpt(text, maxChars)}`);
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        problems.push(`cell ${i} (${firstLine(cell)}) wrote to stderr:\n${excerpt(joinText(out.text), maxChars)}`);
      }
    }
  });
  return problems;
}

/** Code cells with no stored output (blank cells excepted). */
export function cellsWithoutOutputs(nb: StoredNotebook): string[] {
  const out: string[] = [];
  (nb.cells ?? []).forEach((cell, i) => {
    if (cell.cell_type !== 'code' || joinText(cell.source).trim() === '') return;
    if ((cell.outputs ?? []).length === 0) out.push(`cell ${i} (${firstLine(cell)})`);
  });
  return out;
}

/** Figures (outputs with plotly JSON) without their static PNG: a code-hosting site would show nothing for them. */
export function figuresWithoutPng(nb: StoredNotebook): string[] {
  const out: string[] = [];
  (nb.cells ?? []).forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.data && PLOTLY_MIME in o.data && !('image/png' in o.data)) out.push(`cell ${i} (${firstLine(cell)})`);
    }
  });
  return out;
}

/**
 * Metadata that changes on every run and would make each re-execution a diff: nbclient's per-cell execution
 * timestamps (`metadata.execution`) and kernel or session ids. `npm run notebooks` turns the former off.
 */
export function volatileMetadata(nb: StoredNotebook): string[] {
  const found: string[] = [];
  (nb.cells ?? []).forEach((cell, i) => {
    if (cell.metadata && 'execution' in cell.metadata) found.push(`cell ${i}: metadata.execution`);
  });
  for (const key of ['papermill', 'widgets']) if (nb.metadata && key in nb.metadata) found.push(`metadata.${key}`);
  return found;
}

// Source text of a plotly.js bundle: the banner of every build (`plotly.js v4.1.2`), its copyright line and a CSS class
// name from the library's code. None of these can occur in base64 (PNG) data or in a figure's JSON of plain data.
const PLOTLY_SIGNATURES: [RegExp, string][] = [
  [/plotly\.js v\d+\.\d+/, 'the "plotly.js vX.Y" banner'],
  [/Copyright 20\d\d-20\d\d,? Plotly, Inc/, 'the "Copyright …, Plotly, Inc" line'],
  [/plotly-notifier/, 'the library source ("plotly-notifier")'],
];

/** Which signatures of an inlined plotly.js bundle the text contains (empty: none). */
export function plotlyBundleSignatures(text: string): string[] {
  return PLOTLY_SIGNATURES.filter(([re]) => re.test(text)).map(([, what]) => what);
}

/** Everything wrong with a committed notebook file, as sentences (empty: it is fine to commit). */
export function committedNotebookProblems(path: string, options: { budget?: number; preset?: string } = {}): string[] {
  const budget = options.budget ?? NOTEBOOK_SIZE_BUDGET;
  const text = readFileSync(path, 'utf8');
  const nb = JSON.parse(text) as StoredNotebook;
  const problems: string[] = [];
  const missing = cellsWithoutOutputs(nb);
  const codeCells = (nb.cells ?? []).filter((c) => c.cell_type === 'code' && joinText(c.source).trim() !== '').length;
  if (missing.length > 0 && missing.length === codeCells) problems.push(`none of its ${codeCells} code cells has outputs: it was committed without being executed`);
  else if (missing.length > 0) problems.push(`code cells without outputs: ${missing.join('; ')}`);
  problems.push(...errorOutputs(nb));
  const noPng = figuresWithoutPng(nb);
  if (noPng.length > 0) problems.push(`figures without a static PNG (was chromium missing, or RLVR_PLOT_PNG=0?): ${noPng.join('; ')}`);
  problems.push(...stampProblems(path, options.preset ?? 'full'));
  const size = statSync(path).size;
  if (size > budget) {
    problems.push(`it is ${(size / 1024 / 1024).toFixed(2)} MB, over the ${(budget / 1024 / 1024).toFixed(2)} MB budget: make its figures smaller (PNG size, fewer points) rather than raising the budget`);
  }
  const plotly = plotlyBundleSignatures(text);
  if (plotly.length > 0) problems.push(`an output inlines the plotly.js library (${plotly.join(', ')}): plot with lib/notebook's plot(), which sends plotly JSON and a PNG`);
  const volatile = volatileMetadata(nb);
  if (volatile.length > 0) problems.push(`volatile metadata that makes every run a diff: ${volatile.join(', ')}`);
  return problems;
}
