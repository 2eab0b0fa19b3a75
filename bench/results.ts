// Result files of `npm run bench`: every benchmark run writes bench/results/<bench>-<machine>-<date>.md with the
// machine, date, commit and load it ran under, everything it printed, and the numbers it returned as JSON. The
// files are committed, so every figure the README quotes can be traced to a run, and a re-run shows as a diff.
// RLVR_BENCH_MACHINE names the machine (default "<cores>cpu-<arch>", e.g. 2cpu-x64; "h100" on the GPU machine),
// RLVR_BENCH_RESULTS the folder (default bench/results), RLVR_BENCH_COMMIT the commit where no .git is at hand.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';

export interface RunInfo {
  bench: string;
  machine: string;
  /** UTC date, YYYY-MM-DD. */
  date: string;
  /** UTC start time, ISO 8601. */
  started: string;
  commit: string;
  node: string;
  cpu: string;
  os: string;
  /** 1-minute load average at the start (other jobs on the machine slow every timing). */
  load: string;
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** The checked-out commit, with "+dirty" when tracked files differ from it; "unknown" without git. */
export function currentCommit(): string {
  if (process.env.RLVR_BENCH_COMMIT) return process.env.RLVR_BENCH_COMMIT;
  try {
    const head = git(['rev-parse', '--short=12', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown (no git checkout)';
  }
}

/** A file-name-safe machine label. */
export function machineLabel(): string {
  const raw = process.env.RLVR_BENCH_MACHINE || `${cpus().length}cpu-${arch()}`;
  return raw.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

export function runInfo(bench: string, now: Date = new Date()): RunInfo {
  const c = cpus();
  return {
    bench,
    machine: machineLabel(),
    date: now.toISOString().slice(0, 10),
    started: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: currentCommit(),
    node: process.version,
    cpu: `${c.length} × ${c[0]?.model.trim() ?? 'unknown'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    os: `${platform()} ${release()}`,
    load: loadavg()[0].toFixed(2),
  };
}

export function resultsDir(): string {
  return process.env.RLVR_BENCH_RESULTS || join('bench', 'results');
}

export function resultPath(info: RunInfo, dir: string = resultsDir()): string {
  return join(dir, `${info.bench}-${info.machine}-${info.date}.md`);
}

/** JSON of a bench's return value: typed arrays as short lists, bigints as strings; null when it cannot be written. */
function resultJson(result: unknown): string | null {
  if (result === undefined || result === null) return null;
  try {
    return JSON.stringify(
      result,
      (_k, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
          const a = Array.from(v as unknown as ArrayLike<number>);
          return a.length <= 64 ? a : { length: a.length, first: a.slice(0, 8) };
        }
        return v;
      },
      2,
    );
  } catch {
    return null; // circular or otherwise unserialisable: the printed lines still record the run
  }
}

/** The markdown text of one run: a header table, the printed lines, the returned numbers. */
export function formatResult(info: RunInfo, lines: readonly string[], result: unknown, seconds: number, failed: string | null): string {
  const header = [
    `# bench ${info.bench} on ${info.machine}, ${info.date}`,
    '',
    '| | |',
    '| --- | --- |',
    `| command | \`npm run bench -- ${info.bench}\` |`,
    `| started (UTC) | ${info.started} |`,
    `| commit | ${info.commit} |`,
    `| machine | ${info.machine}: ${info.cpu}; ${info.os}; node ${info.node} |`,
    `| load average (1 min) at start | ${info.load} |`,
    `| wall time | ${seconds.toFixed(1)} s |`,
    `| outcome | ${failed === null ? 'finished' : `FAILED: ${failed.split('\n')[0]}`} |`,
  ];
  const json = resultJson(result);
  const body = ['', '## Output', '', '```text', ...lines, '```'];
  if (json !== null) body.push('', '## Returned numbers', '', '```json', json, '```');
  return [...header, ...body, ''].join('\n');
}

/** Writes the result file of one run and returns its path. */
export function saveResult(info: RunInfo, lines: readonly string[], result: unknown, seconds: number, failed: string | null): string {
  const file = resultPath(info);
  mkdirSync(resultsDir(), { recursive: true });
  writeFileSync(file, formatResult(info, lines, result, seconds, failed));
  return file;
}
