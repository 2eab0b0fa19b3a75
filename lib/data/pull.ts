// `rlvr data pull`: fetch the pinned public files, verify each against its SHA-256, and move it into place.
// A download streams into a temp file in the destination dir, is hashed on the way, and is renamed only once
// size and hash match, so a failed or corrupted download leaves nothing behind.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { closestName } from '../util';
import { DEFAULT_SOURCE_BASE, SOURCE_BASE_ENV, manifestDatasets, pullManifest, type ManifestEntry } from './manifest';
import { DATA_DIR_ENV, findProjectRoot, type DataOptions } from './paths';

export interface PullOptions extends DataOptions {
  /** Data dir to write into (default: dataDir option, else RLVR_DATA_DIR, else <project>/data). */
  dest?: string;
  /** Datasets to fetch, by dataset name ("amc"), entry name ("amc/test") or upstream folder ("AMC-TTT"); default all. */
  only?: readonly string[];
  /** Replaces the URL prefix (default RLVR_DATA_SOURCE_BASE, else the pinned GitHub raw URL). */
  sourceBase?: string;
  /** Extra attempts after a network error or an HTTP 408/429/5xx answer (default 3). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one (default 1000 ms). */
  retryDelayMs?: number;
  /** Per-request time limit (default 120 s). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
  /** Called when a file is done (downloaded, skipped or failed), for progress output. */
  onResult?: (r: PullResult) => void;
  /** Called before each retry. */
  onRetry?: (entry: ManifestEntry, attempt: number, problem: string) => void;
}

export type PullStatus = 'downloaded' | 'skipped' | 'failed';

export interface PullResult {
  name: string;
  url: string;
  /** Absolute destination path. */
  path: string;
  status: PullStatus;
  bytes: number;
  /** HTTP requests made for this file (0 when skipped). */
  attempts: number;
  /** Why it failed, or a note (e.g. an existing file that did not verify was replaced). */
  message?: string;
}

/** The data dir `pull` writes to when no --dest is given. */
export function defaultPullDest(opts: DataOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.dataDir) return resolve(cwd, opts.dataDir);
  const envDir = (opts.env ?? process.env)[DATA_DIR_ENV];
  if (envDir) return resolve(cwd, envDir);
  const root = findProjectRoot(cwd);
  if (root === undefined) throw new Error(`no spurious-rlvr project root above ${resolve(cwd)}; pass --dest DIR or set ${DATA_DIR_ENV}`);
  return join(root, 'data');
}

/** The manifest entries `only` selects (all when empty); an unknown name is an error listing the known ones. */
export function selectManifest(only: readonly string[] | undefined, sourceBase?: string): ManifestEntry[] {
  const all = pullManifest(sourceBase);
  if (!only || only.length === 0) return all;
  const picked = new Set<ManifestEntry>();
  for (const raw of only) {
    const name = raw.trim();
    const hits = all.filter((e) => e.dataset === name || e.name === name || e.folder === name);
    if (hits.length === 0) {
      const known = manifestDatasets();
      const close = closestName(name, known);
      throw new Error(`unknown dataset "${name}"${close ? ` (did you mean "${close}"?)` : ''}; known: ${known.join(', ')}`);
    }
    hits.forEach((h) => picked.add(h));
  }
  return all.filter((e) => picked.has(e));
}

/** Downloads and verifies the selected files; returns one result per file (failures included, never thrown). */
export async function pullDatasets(opts: PullOptions = {}): Promise<PullResult[]> {
  const dest = opts.dest !== undefined ? resolve(opts.cwd ?? process.cwd(), opts.dest) : defaultPullDest(opts);
  const sourceBase = opts.sourceBase ?? ((opts.env ?? process.env)[SOURCE_BASE_ENV] || DEFAULT_SOURCE_BASE);
  const entries = selectManifest(opts.only, sourceBase);
  const results: PullResult[] = [];
  for (const entry of entries) {
    const r = await pullOne(entry, dest, opts);
    results.push(r);
    opts.onResult?.(r);
  }
  return results;
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function pullOne(entry: ManifestEntry, dest: string, opts: PullOptions): Promise<PullResult> {
  const path = join(dest, entry.dest);
  const base = { name: entry.name, url: entry.url, path, bytes: entry.bytes };
  let note: string | undefined;
  if (existsSync(path)) {
    const actual = sha256File(path);
    if (actual === entry.sha256) return { ...base, status: 'skipped', attempts: 0 };
    note = `replaced an existing file whose sha256 was ${actual}`;
  }
  try {
    const attempts = await downloadWithRetries(entry, dest, path, opts);
    return { ...base, status: 'downloaded', attempts, message: note };
  } catch (e) {
    const err = e as PullFailure;
    return { ...base, status: 'failed', attempts: err.attempts ?? 1, message: err.message };
  }
}

interface PullFailure extends Error {
  attempts?: number;
  retryable?: boolean;
}

function failure(message: string, retryable: boolean): PullFailure {
  return Object.assign(new Error(message), { retryable });
}

async function downloadWithRetries(entry: ManifestEntry, dest: string, path: string, opts: PullOptions): Promise<number> {
  const retries = opts.retries ?? 3;
  const delay = opts.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await downloadOnce(entry, dest, path, opts);
      return attempt;
    } catch (e) {
      const err = e as PullFailure;
      // Network problems and HTTP 408/429/5xx are marked retryable; anything unmarked (a file-system error) is final.
      const retryable = err.retryable ?? false;
      if (!retryable || attempt > retries) {
        err.attempts = attempt;
        if (retryable) err.message = `${err.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
        throw err;
      }
      opts.onRetry?.(entry, attempt, err.message);
      await new Promise((r) => setTimeout(r, delay * 2 ** (attempt - 1)));
    }
  }
}

async function downloadOnce(entry: ManifestEntry, dest: string, path: string, opts: PullOptions): Promise<void> {
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await fetchImpl(entry.url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
  } catch (e) {
    throw failure(`${entry.url}: ${networkProblem(e)}`, true);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    throw failure(`${entry.url}: HTTP ${res.status} ${res.statusText}`.trim(), retryable);
  }
  if (!res.body) throw failure(`${entry.url}: empty response body`, true);
  mkdirSync(dest, { recursive: true });
  // Temp file in the dest root (same filesystem as the target, so the rename is atomic), hidden by its dot.
  const tmp = join(dest, `.pull-${entry.folder}-${entry.file}.${process.pid}.part`);
  const hash = createHash('sha256');
  let bytes = 0;
  let moved = false;
  const fh = await open(tmp, 'w');
  try {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.byteLength;
        await fh.write(chunk);
      }
    } catch (e) {
      throw failure(`${entry.url}: download interrupted (${networkProblem(e)})`, true);
    }
    await fh.close();
    const actual = hash.digest('hex');
    if (actual !== entry.sha256 || bytes !== entry.bytes) {
      // The server answered, but with other bytes: retrying would fetch the same, so this is final.
      throw failure(
        `checksum mismatch for ${entry.dest} from ${entry.url}: expected sha256 ${entry.sha256} (${entry.bytes} bytes), ` +
          `got sha256 ${actual} (${bytes} bytes); nothing was written`,
        false,
      );
    }
    mkdirSync(dirname(path), { recursive: true });
    renameSync(tmp, path);
    moved = true;
  } finally {
    await fh.close().catch(() => undefined);
    if (!moved) rmSync(tmp, { force: true });
  }
}

/** "fetch failed" says little; the cause (ENOTFOUND, ECONNREFUSED, a timeout) says what went wrong. */
function networkProblem(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
