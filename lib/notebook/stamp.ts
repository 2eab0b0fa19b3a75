// The stamp a notebook writes while it executes: which preset ran, and which library code (and which notebook code)
// produced its outputs. Committed notebooks carry the outputs of a full run; test/notebooks/committed-outputs.test.ts
// recomputes the same hashes from the committed file, without executing anything, and so finds stale outputs.
//
// What is hashed is computed from the notebook file alone: the relative imports of its code cells ('./lib/grpo',
// './helpers'), followed through every file they reach (relative imports, re-exports, import(), require()), resolved
// as tslab resolves them (extensionless, folder -> index.ts). Packages and node: modules are not followed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DisplaySink, MimeBundle } from './mime';
import { notebookSink } from './kernel';

export const STAMP_MIME = 'application/vnd.rlvr.stamp+json';
export const STAMP_VERSION = 1;

/** What a stamp output holds (the payload of its STAMP_MIME part). */
export interface NotebookStamp {
  version: number;
  /** The notebook's file name, e.g. 01-rewards-and-verifier.ipynb. */
  notebook: string;
  /** The preset the outputs come from (RLVR_NOTEBOOK_PRESET; committed outputs must be `full`). */
  preset: string;
  /** sha256 over the closure's files (see closureHash). */
  library: string;
  /** sha256 over the notebook's code cells, so edited code with old outputs is caught too. */
  code: string;
  /** Each file of the closure, relative to the project root, with the first 12 hex digits of its sha256. */
  files: Record<string, string>;
  /** Relative imports that resolve to no file (a notebook with one would not run). */
  unresolved?: string[];
}

export interface LibraryClosure {
  /** Project root the paths are relative to (the folder above the notebook holding package.json, else its folder). */
  root: string;
  /** Files reached, relative to root with `/` separators, sorted. */
  files: string[];
  /** `from-file: specifier` for relative imports that resolve to nothing, sorted. */
  unresolved: string[];
}

interface NotebookJson {
  cells?: { cell_type?: string; source?: string | string[] }[];
}

const joinSource = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));

/** The code cells' sources, in order. */
export function notebookCode(notebookPath: string): string[] {
  const nb = JSON.parse(readFileSync(notebookPath, 'utf8')) as NotebookJson;
  return (nb.cells ?? []).filter((c) => c.cell_type === 'code').map((c) => joinSource(c.source));
}

// Static imports and re-exports (`import x from '…'`, `import type …`, `export * from '…'`, multi-line braces
// included), side-effect imports, import('…') and require('…'). A commented-out import also counts: a hash that
// changes too often is harmless, one that misses a dependency is not.
const SPECIFIER_PATTERNS = [
  /\bfrom\s*['"]([^'"\n]+)['"]/g,
  /\bimport\s*['"]([^'"\n]+)['"]/g,
  /\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g,
];

/** Relative module specifiers (`./x`, `../y`) in TypeScript or JavaScript source, in order of appearance, deduplicated. */
export function relativeImports(source: string): string[] {
  const found: { at: number; spec: string }[] = [];
  for (const re of SPECIFIER_PATTERNS) {
    for (const m of source.matchAll(re)) {
      const spec = m[1];
      if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') found.push({ at: m.index ?? 0, spec });
    }
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.spec))];
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json'];
const FOLLOWED = /\.(?:[mc]?ts|tsx|[mc]?js)$/;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The file a relative specifier names, as tslab (plus the kernel's folder-index rule) and tsx resolve it, or null. */
export function resolveModule(fromDir: string, spec: string): string | null {
  const base = resolve(fromDir, spec);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  // `./x.js` written for `./x.ts` (TypeScript's ESM convention).
  if (/\.[mc]?js$/.test(base)) candidates.push(base.replace(/\.([mc]?)js$/, '.$1ts'));
  for (const c of candidates) if (isFile(c)) return realpathSync(c);
  return null;
}

function projectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

const toPosix = (p: string): string => p.split(sep).join('/');

/**
 * The files a notebook's code depends on inside the project: every relative import of its code cells, followed
 * transitively. Paths are real paths (notebooks/lib/x resolves to lib/x), relative to the project root.
 */
export function libraryClosure(notebookPath: string): LibraryClosure {
  const nbPath = realpathSync(notebookPath);
  const nbDir = dirname(nbPath);
  const root = projectRoot(nbDir);
  const seen = new Set<string>();
  const unresolved = new Set<string>();
  const queue: { dir: string; from: string; source: string }[] = [
    { dir: nbDir, from: toPosix(relative(root, nbPath)), source: notebookCode(nbPath).join('\n') },
  ];
  while (queue.length > 0) {
    const { dir, from, source } = queue.pop()!;
    for (const spec of relativeImports(source)) {
      const file = resolveModule(dir, spec);
      if (!file) {
        unresolved.add(`${from}: ${spec}`);
        continue;
      }
      if (seen.has(file)) continue;
      seen.add(file);
      if (FOLLOWED.test(file)) {
        queue.push({ dir: dirname(file), from: toPosix(relative(root, file)), source: readFileSync(file, 'utf8') });
      }
    }
  }
  const files = [...seen].map((f) => toPosix(relative(root, f))).sort();
  return { root, files, unresolved: [...unresolved].sort() };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Per-file sha256 (first 12 hex digits) of a closure's files. */
export function fileHashes(closure: LibraryClosure): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of closure.files) out[f] = sha256(readFileSync(join(closure.root, f))).slice(0, 12);
  return out;
}

/** One sha256 over the closure: each file's path and full content hash, plus the unresolved imports. */
export function closureHash(closure: LibraryClosure): string {
  const lines = closure.files.map((f) => `${f}\t${sha256(readFileSync(join(closure.root, f)))}\n`);
  for (const u of closure.unresolved) lines.push(`unresolved\t${u}\n`);
  return sha256(lines.join(''));
}

/** sha256 over the notebook's code cells (their text only: outputs, markdown and metadata do not count). */
export function codeHash(notebookPath: string): string {
  return sha256(notebookCode(notebookPath).map((s) => `${s.length}\n${s}`).join('\n'));
}

/** The stamp of a notebook file as it is now on disk, for the given preset. */
export function computeStamp(notebookPath: string, preset: string): NotebookStamp {
  const closure = libraryClosure(notebookPath);
  const stamp: NotebookStamp = {
    version: STAMP_VERSION,
    notebook: notebookPath.split(/[\\/]/).pop() ?? notebookPath,
    preset,
    library: closureHash(closure),
    code: codeHash(notebookPath),
    files: fileHashes(closure),
  };
  if (closure.unresolved.length > 0) stamp.unresolved = closure.unresolved;
  return stamp;
}

/** The stamp's MIME bundle: the stamp itself and a one-line text summary (what code-hosting sites show). */
export function stampBundle(stamp: NotebookStamp): MimeBundle {
  const n = Object.keys(stamp.files).length;
  const text = `outputs of preset "${stamp.preset}"; library ${stamp.library.slice(0, 12)} (${n} files), code ${stamp.code.slice(0, 12)}`;
  return { [STAMP_MIME]: stamp, 'text/plain': text };
}

export interface StampOptions {
  /** The preset the notebook runs (default: $RLVR_NOTEBOOK_PRESET, else `full`). Pass `P.preset`. */
  preset?: string;
  /** The notebook's folder (default: the working directory, which is the notebook's folder in a kernel). */
  dir?: string;
  sink?: DisplaySink;
  /** Where a stamp that cannot be made is reported (default: console.error). */
  warn?: (message: string) => void;
}

/**
 * Records which code produced this notebook's outputs: call it once in the first code cell,
 * `stampNotebook('01-rewards-and-verifier.ipynb', { preset: P.preset })`. It reads the notebook file (the kernel
 * cannot know its name, hence the argument), hashes the library files its code imports, and displays the stamp as
 * an output of its own MIME type. Outside a kernel it shows nothing. Returns nothing (tslab would print a value
 * returned by a cell's last statement); computeStamp gives the same stamp as a value.
 *
 * A notebook file that cannot be found (renamed, or a frontend started elsewhere) is reported on stderr instead of
 * thrown: the notebook still runs interactively, while `npm run notebooks` and CI refuse outputs with stderr text.
 */
export function stampNotebook(notebook: string, options: StampOptions = {}): void {
  const dir = options.dir ?? process.cwd();
  // The working directory is the notebook's folder in Jupyter and VS Code (by default); from the project root, try notebooks/.
  const path = [resolve(dir, notebook), resolve(dir, 'notebooks', notebook)].find(isFile);
  if (!path) {
    (options.warn ?? console.error)(`stampNotebook: no notebook "${notebook}" in ${dir}; pass this notebook's own file name. These outputs carry no stamp.`);
    return;
  }
  const preset = options.preset ?? process.env.RLVR_NOTEBOOK_PRESET ?? 'full';
  const stamp = computeStamp(path, preset);
  const sink = options.sink ?? notebookSink();
  if (sink && sink.kind === 'notebook') sink.show(stampBundle(stamp));
}

interface OutputLike {
  output_type?: string;
  data?: Record<string, unknown>;
}

/** The stamps stored in a notebook's outputs (a committed notebook has exactly one). */
export function storedStamps(notebookPath: string): NotebookStamp[] {
  const nb = JSON.parse(readFileSync(notebookPath, 'utf8')) as { cells?: { outputs?: OutputLike[] }[] };
  const out: NotebookStamp[] = [];
  for (const cell of nb.cells ?? []) {
    for (const o of cell.outputs ?? []) {
      const s = o.data?.[STAMP_MIME];
      if (s && typeof s === 'object') out.push(s as NotebookStamp);
    }
  }
  return out;
}

export interface StampDiff {
  changed: string[];
  added: string[];
  removed: string[];
}

/** Which closure files differ between a stored stamp and the current one (by their short hashes). */
export function diffStampFiles(stored: Record<string, string>, current: Record<string, string>): StampDiff {
  const changed: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [f, h] of Object.entries(current)) {
    if (!(f in stored)) added.push(f);
    else if (stored[f] !== h) changed.push(f);
  }
  for (const f of Object.keys(stored)) if (!(f in current)) removed.push(f);
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

/**
 * Why a notebook's stored outputs do not belong to its current code, as sentences (empty: up to date).
 * `expectedPreset` is what committed outputs must come from.
 */
export function stampProblems(notebookPath: string, expectedPreset = 'full'): string[] {
  const name = notebookPath.split(/[\\/]/).pop() ?? notebookPath;
  const stamps = storedStamps(notebookPath);
  if (stamps.length === 0) {
    return [`no stamp in its outputs: its first code cell must call stampNotebook('${name}', { preset: P.preset }) (lib/notebook), then the notebook must be executed`];
  }
  if (stamps.length > 1) return [`${stamps.length} stamps in its outputs; call stampNotebook once, in the first code cell`];
  const stored = stamps[0];
  const problems: string[] = [];
  if (stored.version !== STAMP_VERSION) problems.push(`its stamp has version ${stored.version}, expected ${STAMP_VERSION}`);
  if (stored.notebook !== name) problems.push(`its stamp names "${stored.notebook}": the stampNotebook call must pass this notebook's file name, '${name}'`);
  if (stored.preset !== expectedPreset) problems.push(`its outputs come from preset "${stored.preset}", not "${expectedPreset}"`);
  const current = computeStamp(notebookPath, stored.preset);
  if (stored.code !== current.code) problems.push('its code cells changed after it was executed');
  if (stored.library !== current.library) {
    const d = diffStampFiles(stored.files ?? {}, current.files);
    const parts = [
      d.changed.length > 0 ? `changed: ${d.changed.join(', ')}` : '',
      d.added.length > 0 ? `now also imported: ${d.added.join(', ')}` : '',
      d.removed.length > 0 ? `no longer imported: ${d.removed.join(', ')}` : '',
    ].filter((p) => p !== '');
    problems.push(`the library code it depends on changed after it was executed (${parts.join('; ') || 'see the stamp'})`);
  }
  return problems;
}
