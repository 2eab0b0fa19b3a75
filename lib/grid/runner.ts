// Runs a grid's cells as separate processes, `jobs` at a time (one per core: nothing is shared
// between runs), skipping complete cells (done.json) and resuming killed ones; the grid folder
// keeps grid.json (the spec, with the learning rates), runs/<family>/<arm>/s<seed>/ and
// failures.jsonl. A grid folder holds one spec: running another one into it is refused.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findProjectRoot } from '../data';
import { writeFileAtomic } from '../util';
import { DONE_FILE } from './run-cell';
import { checkGridSpec, gridCells, type Cell, type GridSpec } from './spec';

export const GRID_FILE = 'grid.json';
export const FAILURES_FILE = 'failures.jsonl';

export const cellDir = (out: string, key: string): string => join(out, 'runs', ...key.split('/'));
export const isCellDone = (out: string, key: string): boolean => existsSync(join(cellDir(out, key), DONE_FILE));

/** Writes grid.json, or checks that the folder already holds this very spec. */
export function initGridDir(out: string, spec: GridSpec): void {
  checkGridSpec(spec, GRID_FILE);
  mkdirSync(out, { recursive: true });
  const file = join(out, GRID_FILE);
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') !== text) {
      throw new Error(`${out}: holds another grid (${GRID_FILE} differs); use another --out, or delete the folder to start over`);
    }
    return;
  }
  writeFileAtomic(file, text);
}

export function readGridSpec(out: string): GridSpec {
  const file = join(out, GRID_FILE);
  if (!existsSync(file)) throw new Error(`${out}: not a grid folder (no ${GRID_FILE})`);
  const spec = JSON.parse(readFileSync(file, 'utf8')) as GridSpec;
  checkGridSpec(spec, file);
  return spec;
}

export type GridEvent =
  | { kind: 'start'; cells: number; done: number; jobs: number }
  | { kind: 'cell-start'; key: string }
  | { kind: 'cell-done'; key: string; seconds: number; done: number; total: number; etaSeconds: number }
  | { kind: 'cell-failed'; key: string; code: number | null; stderrTail: string }
  | { kind: 'finish'; done: number; failed: number; seconds: number };

export interface RunGridOptions {
  /** Processes at a time (default 2: this machine's cores). */
  jobs?: number;
  onEvent?: (e: GridEvent) => void;
  /** Run at most this many cells in this call (the grid stays resumable). */
  maxCells?: number;
  /** tfjs backend of the cell processes. */
  backend?: string;
  /** Cells already complete elsewhere (a committed results folder of the same grid): skipped. */
  completed?: ReadonlySet<string>;
  /** Run only the cells of these families (the rest stay pending for a later call). */
  families?: readonly string[];
}

/** The command that runs one cell in its own process (node, the tsx loader, the rlvr entry point). */
function cellProcess(out: string, key: string, backend: string | undefined): ChildProcess {
  const root = findProjectRoot() ?? process.cwd();
  const args = ['--import', 'tsx', join(root, 'lib', 'cli', 'main.ts'), 'grid', 'cell', resolve(out), key, ...(backend ? ['--backend', backend] : [])];
  return spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs every cell not yet complete; resolves with the number that failed. */
export async function runGrid(spec: GridSpec, out: string, opts: RunGridOptions = {}): Promise<{ done: number; failed: number; stopped: boolean }> {
  initGridDir(out, spec);
  const jobs = Math.max(1, opts.jobs ?? 2);
  const cells = gridCells(spec);
  const pending = cells.filter((c) => !isCellDone(out, c.key) && !(opts.completed?.has(c.key) ?? false));
  const chosen = opts.families === undefined ? pending : pending.filter((c) => opts.families?.includes(c.family));
  const todo: Cell[] = chosen.slice(0, opts.maxCells ?? Infinity);
  let done = cells.length - pending.length;
  let failed = 0;
  const t0 = performance.now();
  const durations: number[] = [];
  const emit = (e: GridEvent): void => opts.onEvent?.(e);
  emit({ kind: 'start', cells: cells.length, done, jobs });
  const running = new Set<ChildProcess>();
  let stopping = false;
  // A signal stops the grid: running cells are told to stop (they resume next time), no new cell starts.
  const stopAll = (): void => {
    stopping = true;
    for (const c of running) c.kill('SIGTERM');
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  const worker = async (): Promise<void> => {
    for (let cell = todo.shift(); cell !== undefined && !stopping; cell = todo.shift()) {
      const c = cell;
      emit({ kind: 'cell-start', key: c.key });
      const started = performance.now();
      const child = cellProcess(out, c.key, opts.backend);
      running.add(child);
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
      const code = await new Promise<number | null>((res) => child.on('close', (k) => res(k)));
      running.delete(child);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0 && isCellDone(out, c.key)) {
        done++;
        durations.push(seconds);
        const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
        emit({ kind: 'cell-done', key: c.key, seconds, done, total: cells.length, etaSeconds: (mean * (todo.length + running.size)) / jobs });
      } else {
        failed++;
        appendFileSync(join(out, FAILURES_FILE), `${JSON.stringify({ key: c.key, code, at: new Date().toISOString(), stderr: stderr.slice(-1500) })}\n`);
        emit({ kind: 'cell-failed', key: c.key, code, stderrTail: stderr.slice(-500) });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    process.removeListener('SIGINT', stopAll);
    process.removeListener('SIGTERM', stopAll);
  }
  emit({ kind: 'finish', done, failed, seconds: (performance.now() - t0) / 1000 });
  return { done, failed, stopped: stopping };
}
