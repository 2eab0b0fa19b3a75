// What `rlvr data list` shows: every known data file, its pinned size, and where it resolves now.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { pullManifest } from './manifest';
import { locateDataFile, type DataDirOrigin, type DataOptions } from './paths';
import { VERIFIER_CORPUS_PATH } from './verifier-corpus';

export interface CatalogRow {
  /** "<dataset>/<test|train>", or "verifier-dev" for the verifier corpus. */
  name: string;
  /** Path relative to a data dir. */
  file: string;
  /** Records expected (from the manifest); undefined when not pinned. */
  records?: number;
  /** Pinned size, or the size found on disk for files that are not pinned. */
  bytes?: number;
  /** Whether `rlvr data pull` can fetch it. */
  pullable: boolean;
  /** Where it resolves now; undefined = missing. */
  resolved?: { path: string; origin: DataDirOrigin };
  /** With `check`: whether the resolved file matches the pinned sha256 (undefined when not pinned or missing). */
  verified?: boolean;
}

/** One row per known data file, resolved against the current data dirs. `check` also hashes the files found. */
export function dataCatalog(opts: DataOptions & { check?: boolean } = {}): CatalogRow[] {
  const rows: CatalogRow[] = pullManifest().map((e) => {
    const found = locateDataFile(e.dest, opts);
    const row: CatalogRow = { name: e.name, file: e.dest, records: e.records, bytes: e.bytes, pullable: true };
    if (found) {
      row.resolved = { path: found.path, origin: found.origin };
      if (opts.check) row.verified = createHash('sha256').update(readFileSync(found.path)).digest('hex') === e.sha256;
    }
    return row;
  });
  // The verifier corpus was built for this project and has no public source: it only comes from shared/data.
  const dev = locateDataFile(VERIFIER_CORPUS_PATH, opts);
  rows.push({
    name: 'verifier-dev',
    file: VERIFIER_CORPUS_PATH,
    pullable: false,
    bytes: dev ? statSync(dev.path).size : undefined,
    resolved: dev ? { path: dev.path, origin: dev.origin } : undefined,
  });
  return rows;
}
