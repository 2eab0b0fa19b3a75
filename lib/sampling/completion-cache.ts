// On-disk cache of sampled completions, one small JSON file per key (<dir>/<2 hex>/<sha256>.json),
// each written atomically (temp file + rename): a crash leaves either the old state or the new
// entry, never a torn file, and an interrupted evaluation resumes without paying for samples twice.
// The key is the canonical JSON of everything that determines a sample (model, prompt or messages,
// sampling parameters, seed, sample index); the file stores it too and a read checks it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util';

/** A JSON value (what cache keys and entries are made of). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** JSON with object keys sorted at every level, so equal keys always hash the same. */
export function canonicalJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const obj = v as { readonly [k: string]: JsonValue };
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export interface CompletionCache {
  readonly dir: string;
  /** The stored value for `key`, or undefined. */
  get(key: JsonValue): JsonValue | undefined;
  set(key: JsonValue, value: JsonValue): void;
}

interface Entry {
  key: string;
  value: JsonValue;
}

export function openCompletionCache(dir: string): CompletionCache {
  const pathOf = (canon: string): string => {
    const h = createHash('sha256').update(canon).digest('hex');
    return join(dir, h.slice(0, 2), `${h}.json`);
  };
  return {
    dir,
    get(key) {
      const canon = canonicalJson(key);
      let text: string;
      try {
        text = readFileSync(pathOf(canon), 'utf8');
      } catch {
        return undefined; // not cached yet
      }
      try {
        const e = JSON.parse(text) as Entry;
        return e.key === canon ? e.value : undefined; // a different key under the same hash: treat as a miss
      } catch {
        return undefined; // not written by us (atomic writes never leave a torn entry); it gets overwritten
      }
    },
    set(key, value) {
      const canon = canonicalJson(key);
      const entry: Entry = { key: canon, value };
      writeFileAtomic(pathOf(canon), JSON.stringify(entry));
    },
  };
}
