// Scorers: where the CPU work of a request runs. `inlineScorer` scores on the server's own thread;
// `createWorkerPool` spreads a job's groups over worker threads, so a big batch neither blocks
// /health nor uses only one core.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assembleResult, groupItems, RewardCache, scoreGroups, type GroupScore, type JobGroup } from './score';
import type { WorkerReply, WorkerTask } from './score-worker';
import type { ScoreJob, ScoreResult } from './types';

export interface Scorer {
  /** Threads that score (0 = the caller's thread). */
  readonly threads: number;
  score(job: ScoreJob): Promise<ScoreResult>;
  close(): Promise<void>;
}

/** Scores on the calling thread. */
export function inlineScorer(deadlineMs?: number): Scorer {
  const cache = new RewardCache(deadlineMs);
  return {
    threads: 0,
    score: async (job) => {
      const groups = groupItems(job.items);
      return assembleResult(job.items.length, groups, scoreGroups(groups, job, cache));
    },
    close: async () => {},
  };
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, { resolve: (s: GroupScore[]) => void; reject: (e: Error) => void; load: number }>;
  load: number;
}

/** Below this many completions a job goes to one worker whole (splitting costs more than it saves). */
const SPLIT_MIN_COMPLETIONS = 32;

/** Starts `n` scoring threads and waits until each has loaded the rewards. */
export async function createWorkerPool(n: number, deadlineMs?: number): Promise<Scorer> {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`createWorkerPool: n must be a positive integer, received ${n}`);
  let nextId = 1;
  let closed = false;
  const workers: PoolWorker[] = [];
  const spawn = (): Promise<PoolWorker> => new Promise((resolve, reject) => {
    const worker = startWorker(deadlineMs);
    const pw: PoolWorker = { worker, pending: new Map(), load: 0 };
    let ready = false;
    worker.on('message', (m: WorkerReply | { ready: true }) => {
      if ('ready' in m) { ready = true; resolve(pw); return; }
      const p = pw.pending.get(m.id);
      if (!p) return;
      pw.pending.delete(m.id);
      pw.load -= p.load;
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.scores);
    });
    const fail = (e: Error) => {
      for (const p of pw.pending.values()) p.reject(e);
      pw.pending.clear();
      pw.load = 0;
      if (!ready) { reject(e); return; }
      // Replace a crashed thread so the pool keeps its size.
      const i = workers.indexOf(pw);
      if (i >= 0 && !closed) {
        spawn().then((fresh) => { workers[workers.indexOf(pw)] = fresh; }, () => { const j = workers.indexOf(pw); if (j >= 0) workers.splice(j, 1); });
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => { if (!closed) fail(new Error(`scoring thread exited with code ${code}`)); });
  });
  try {
    for (const w of await Promise.all(Array.from({ length: n }, spawn))) workers.push(w);
  } catch (e) {
    closed = true;
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw e;
  }

  const run = (pw: PoolWorker, groups: JobGroup[], job: ScoreJob, load: number): Promise<GroupScore[]> => new Promise((resolve, reject) => {
    const id = nextId++;
    pw.pending.set(id, { resolve, reject, load });
    pw.load += load;
    const task: WorkerTask = { id, groups, job: { reward: job.reward, mode: job.mode, seed: job.seed } };
    pw.worker.postMessage(task);
  });

  return {
    threads: n,
    async score(job) {
      if (closed) throw new Error('the scoring pool is closed');
      if (workers.length === 0) throw new Error('no scoring thread is alive');
      const groups = groupItems(job.items);
      const chunks = job.items.length < SPLIT_MIN_COMPLETIONS ? [groups] : splitGroups(groups, workers.length);
      const parts = await Promise.all(chunks.map((chunk) => {
        const load = chunk.reduce((s, g) => s + g.completions.length, 0);
        const least = workers.reduce((a, b) => (b.load < a.load ? b : a));
        return run(least, chunk, job, load);
      }));
      return assembleResult(job.items.length, groups, parts.flat());
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}

/** Cuts groups into at most k contiguous chunks of about equal text size (order kept, so flat() restores it). */
export function splitGroups(groups: readonly JobGroup[], k: number): JobGroup[][] {
  const size = (g: JobGroup) => g.completions.reduce((s, c) => s + c.length + 1, 0);
  const total = groups.reduce((s, g) => s + size(g), 0);
  const chunks: JobGroup[][] = [[]];
  let acc = 0;
  for (const g of groups) {
    if (acc >= (total * chunks.length) / k && chunks.length < k && chunks[chunks.length - 1].length > 0) chunks.push([]);
    chunks[chunks.length - 1].push(g);
    acc += size(g);
  }
  return chunks.filter((c) => c.length > 0);
}

// --- starting a thread on score-worker, from TypeScript (tsx) or compiled JavaScript ---

function startWorker(deadlineMs: number | undefined): Worker {
  const here = thisFile();
  const ext = here.endsWith('.ts') ? '.ts' : here.endsWith('.cjs') ? '.cjs' : here.endsWith('.mjs') ? '.mjs' : '.js';
  const entry = join(dirname(here), `score-worker${ext}`);
  const workerData = { rewardServiceWorker: true, deadlineMs };
  if (ext !== '.ts') return new Worker(entry, { workerData });
  // Threads do not inherit tsx's loader, so the thread loads tsx's API first and imports the .ts entry through it.
  const api = pathToFileURL(tsxEsmApi(here)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(pathToFileURL(entry).href)}, ${JSON.stringify(pathToFileURL(here).href)}))`;
  return new Worker(code, { eval: true, workerData });
}

/** This module's file: __filename under CommonJS; else read from a stack frame (no import.meta: lib also compiles to CommonJS). */
function thisFile(): string {
  if (typeof __filename === 'string' && /pool\.[cm]?[jt]s$/.test(__filename)) return __filename;
  const m = /(?:file:\/\/)?(\/[^\s()]*?[\\/]reward-service[\\/]pool\.[cm]?[jt]s)/.exec(new Error().stack ?? '');
  if (!m) throw new Error('reward-service: cannot locate pool.ts to start scoring threads; use workers: 0');
  return decodeURIComponent(m[1]);
}

/** tsx's ESM API file (its "import" export), resolved from this package. */
function tsxEsmApi(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports?.['./esm/api']?.import?.default;
  if (!rel) throw new Error(`reward-service: ${pkgPath} has no "./esm/api" import export`);
  return join(dirname(pkgPath), rel);
}
