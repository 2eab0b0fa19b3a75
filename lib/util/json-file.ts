import { existsSync, readFileSync } from 'node:fs';
import { DataError } from './errors';

/** Reads and parses a JSON file; a missing or invalid file is a DataError naming it (`what` says what it should hold). */
export function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new DataError({ file }, `missing: ${what}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new DataError({ file }, `not valid JSON (${(e as Error).message})`);
  }
}

/** A plain JSON object (not null, not an array). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
