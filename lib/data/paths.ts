// Where data files are looked for. One resolution path for every loader (data/README.md):
//   explicit `dataDir` option > env RLVR_DATA_DIR > <project>/data > <project>/../shared/data.
// An explicit dir (option or env) is used alone; otherwise the first default dir that has the file wins.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError } from '../util';
import { missingUpstreamReason } from './manifest';

/** The environment variable that points every loader at one data directory. */
export const DATA_DIR_ENV = 'RLVR_DATA_DIR';

/** Set by bin/rlvr.mjs to the package's own folder: the root used when none is found above the working directory. */
export const PROJECT_ROOT_ENV = 'RLVR_PROJECT_ROOT';

/** The package name that marks the project root (package.json "name"). */
const PROJECT_NAME = 'spurious-rlvr';

/** Options shared by every loader. `env` and `cwd` exist so tests need not touch the process. */
export interface DataOptions {
  /** Use this data directory and no other. */
  dataDir?: string;
  /** Environment to read RLVR_DATA_DIR from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where to start looking for the project root (default process.cwd()). */
  cwd?: string;
}

/** Why a directory is on the search list. */
export type DataDirOrigin = 'option' | 'env' | 'project' | 'shared';

export interface DataDir {
  dir: string;
  origin: DataDirOrigin;
}

/**
 * The project root: the nearest folder at or above `start` whose package.json is named spurious-rlvr.
 * Walking up from the cwd covers the repo root, notebooks/ and any sub-folder (no import.meta: lib also runs as CommonJS).
 */
export function findProjectRoot(start: string = process.cwd()): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && packageName(pkg) === PROJECT_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function packageName(pkgFile: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(pkgFile, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && typeof (parsed as { name?: unknown }).name === 'string'
      ? (parsed as { name: string }).name
      : undefined;
  } catch {
    return undefined; // an unreadable package.json is simply not ours
  }
}

/** The directories a lookup will search, in order (for messages and `rlvr data where`). */
export function dataDirs(opts: DataOptions = {}): DataDir[] {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.dataDir !== undefined && opts.dataDir !== '') return [{ dir: resolve(cwd, opts.dataDir), origin: 'option' }];
  const envDir = (opts.env ?? process.env)[DATA_DIR_ENV];
  if (envDir !== undefined && envDir !== '') return [{ dir: resolve(cwd, envDir), origin: 'env' }];
  // Outside the project (e.g. a linked `rlvr` run elsewhere) the launcher names its own install as the root.
  const root = findProjectRoot(cwd) ?? (opts.env ?? process.env)[PROJECT_ROOT_ENV];
  if (root === undefined || root === '') return [];
  return [
    { dir: join(root, 'data'), origin: 'project' },
    { dir: resolve(root, '..', 'shared', 'data'), origin: 'shared' },
  ];
}

/** Where a data file resolves now, or undefined when no searched directory has it. */
export function locateDataFile(relPath: string, opts: DataOptions = {}): (DataDir & { path: string }) | undefined {
  for (const d of dataDirs(opts)) {
    const path = join(d.dir, relPath);
    if (existsSync(path)) return { ...d, path };
  }
  return undefined;
}

/**
 * The absolute path of a data file (relative to a data dir, e.g. "rethink_rlvr/AMC-TTT/test.json").
 * Throws a DataError naming every path looked at, with the fix.
 */
export function resolveDataFile(relPath: string, opts: DataOptions = {}): string {
  const found = locateDataFile(relPath, opts);
  if (found) return found.path;
  const dirs = dataDirs(opts);
  const looked = dirs.map((d) => `${join(d.dir, relPath)} (${d.origin})`);
  const why = missingUpstreamReason(relPath);
  const fix = why ?? `run \`rlvr data pull\` to download it, or set ${DATA_DIR_ENV} to a folder that has it`;
  const where = looked.length > 0
    ? `looked in: ${looked.join(', ')}`
    : `no data dir to look in (no ${PROJECT_NAME} project root above ${resolve(opts.cwd ?? process.cwd())}, no ${DATA_DIR_ENV}, no dataDir option)`;
  throw new DataError({ file: dirs.length > 0 ? join(dirs[0].dir, relPath) : relPath }, `data file not found; ${where}; ${fix}`);
}
