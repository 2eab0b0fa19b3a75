import { readFileSync } from 'node:fs';
import { DataError } from './errors';

/** A record parsed from one line of a JSON-lines file, with its 1-based line number. */
export interface JsonlRecord {
  line: number;
  value: Record<string, unknown>;
}

/** Parses JSON-lines text; blank lines are skipped; a bad line is a DataError naming file and line. */
export function parseJsonl(text: string, file: string): JsonlRecord[] {
  const out: JsonlRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new DataError({ file, line: i + 1 }, `invalid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DataError({ file, line: i + 1 }, 'each line must be a JSON object');
    }
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  return out;
}

/** Reads and parses a JSON-lines file. */
export function readJsonl(file: string): JsonlRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError({ file }, `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseJsonl(text, file);
}

/** Reads a string field; throws a DataError naming file, line and field when absent or not a string. */
export function stringField(rec: JsonlRecord, field: string, file: string, opts: { optional?: boolean } = {}): string | undefined {
  const v = rec.value[field];
  if (v === undefined && opts.optional) return undefined;
  if (typeof v !== 'string') {
    throw new DataError({ file, line: rec.line, field }, v === undefined ? 'missing' : `expected a string, received ${typeof v}`);
  }
  return v;
}
