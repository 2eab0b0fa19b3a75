import { from, table as columnsTable, type ColumnTable } from 'arquero';
import { escapeHtml, type MimeBundle } from './mime';

/** What showTable accepts: an arquero table, plain records, or a danfo DataFrame (see fromDanfo). */
// Records are `object` rather than Record<string, unknown> so interfaces (which lack an index signature) are accepted.
export type TableInput = ColumnTable | readonly object[] | DanfoLike;

/** The part of a danfo DataFrame the converter reads; danfo itself is not imported. `values` is typed as danfo
 * types it (1-D or 2-D); a DataFrame's is 2-D, one array per row, which the converter checks. */
export interface DanfoLike {
  columns: string[];
  values: readonly unknown[];
}

export interface TableOptions {
  /** Rows shown (default 20); the caption says how many were left out. */
  limit?: number;
  caption?: string;
  /** Most fractional digits shown for numbers (default 4). */
  maxdigits?: number;
}

function isArquero(x: unknown): x is ColumnTable {
  return typeof x === 'object' && x !== null && typeof (x as ColumnTable).toHTML === 'function';
}

function isDanfo(x: unknown): x is DanfoLike {
  return (
    typeof x === 'object' && x !== null && !Array.isArray(x) &&
    Array.isArray((x as DanfoLike).columns) && Array.isArray((x as DanfoLike).values)
  );
}

/** danfo DataFrame -> arquero table (danfo has no HTML renderer of its own). */
export function fromDanfo(df: DanfoLike): ColumnTable {
  const cols: Record<string, unknown[]> = {};
  df.columns.forEach((name, j) => {
    cols[name] = df.values.map((row, i) => {
      if (!Array.isArray(row)) throw new Error(`fromDanfo: values[${i}] is not an array; expected one row per entry`);
      return row[j];
    });
  });
  return columnsTable(cols, df.columns);
}

/** A proportion with its interval, as lib/eval returns them ({ rate, low, high, k?, n? }). */
interface IntervalLike {
  rate: number;
  low: number;
  high: number;
  k?: number;
  n?: number;
}

function isInterval(v: unknown): v is IntervalLike {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.rate === 'number' && typeof o.low === 'number' && typeof o.high === 'number';
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** `12.0% [8.1%, 17.2%] (12/100)`; `–` for an undefined rate (n = 0). */
export function formatInterval(p: IntervalLike): string {
  if (Number.isNaN(p.rate)) return p.n === 0 ? '– (0/0)' : '–';
  const count = p.k !== undefined && p.n !== undefined ? ` (${p.k}/${p.n})` : '';
  return `${pct(p.rate)} [${pct(p.low)}, ${pct(p.high)}]${count}`;
}

/** Record cells arquero cannot show: intervals become text, other objects and arrays JSON. */
function displayCell(v: unknown): unknown {
  if (isInterval(v)) return formatInterval(v);
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) return JSON.stringify(v);
  return v;
}

/** Normalises any TableInput to an arquero table. */
export function toTable(input: TableInput): ColumnTable {
  if (isArquero(input)) return input;
  if (Array.isArray(input)) {
    const rows = (input as Record<string, unknown>[]).map((r) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) out[k] = displayCell(v);
      return out;
    });
    return from(rows);
  }
  if (isDanfo(input)) return fromDanfo(input);
  throw new Error('showTable: expected an arquero table, an array of records or a danfo DataFrame');
}

function captionText(table: ColumnTable, limit: number, caption: string | undefined): string | undefined {
  const n = table.numRows();
  const more = n > limit ? `first ${limit} of ${n} rows` : undefined;
  if (caption && more) return `${caption} (${more})`;
  return caption ?? more;
}

/** text/html (arquero's toHTML, with a caption) + text/plain (markdown) for a table. */
export function tableBundle(input: TableInput, options: TableOptions = {}): MimeBundle {
  const table = toTable(input);
  const limit = options.limit ?? 20;
  const caption = captionText(table, limit, options.caption);
  const maxdigits = options.maxdigits ?? 4;
  let html = table.toHTML({ limit, maxdigits });
  if (caption) html = html.replace(/^<table>/, `<table><caption>${escapeHtml(caption)}</caption>`);
  const text = (caption ? `${caption}\n\n` : '') + table.toMarkdown({ limit, maxdigits });
  return { 'text/html': html, 'text/plain': text };
}
