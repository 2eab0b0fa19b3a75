// Progress lines for a running grid (lib/grid's events): what runs, how many are done, how long is
// left. Shared by `rlvr grid run`, `rlvr grid tune` and `rlvr reproduce`.
import type { CliIo } from './command';
import type { GridEvent } from '../grid';

export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
export const minutes = (s: number): string => (s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);

function bar(done: number, total: number, width = 20): string {
  const k = total === 0 ? width : Math.round((width * done) / total);
  return `[${'#'.repeat(k)}${'.'.repeat(width - k)}]`;
}

/** Turns the grid's events into progress lines: what runs, how many are done, how long is left. */
export function gridProgress(io: CliIo, now: () => number = () => performance.now()): (e: GridEvent) => void {
  const t0 = now();
  const running = new Set<string>();
  let total = 0;
  let done = 0;
  const elapsed = (): string => minutes((now() - t0) / 1000);
  return (e) => {
    switch (e.kind) {
      case 'start':
        total = e.cells;
        done = e.done;
        io.out(`  ${count(e.cells, 'run')}, ${e.done} already complete, ${e.jobs} at a time; time left is estimated once a run finishes\n`);
        return;
      case 'cell-start':
        running.add(e.key);
        io.out(`  running ${e.key} (${[...running].length} running)\n`);
        return;
      case 'cell-done':
        running.delete(e.key);
        done = e.done;
        io.out(`  ${bar(done, total)} ${done}/${total} runs: ${e.key} took ${minutes(e.seconds)}; ${elapsed()} elapsed, about ${minutes(e.etaSeconds)} left\n`);
        return;
      case 'cell-failed':
        running.delete(e.key);
        io.out(`  FAILED ${e.key} (exit ${e.code}): ${e.stderrTail.trim().split('\n').slice(-2).join(' | ')}\n`);
        return;
      case 'finish':
        io.out(`  ${bar(e.done, total)} ${e.done}/${total} runs complete, ${e.failed} failed, ${elapsed()} for this part\n`);
    }
  };
}

/** `--quiet`: only the lines of failed runs. */
export function quietProgress(io: CliIo): (e: GridEvent) => void {
  const lines = gridProgress(io);
  return (e) => {
    if (e.kind === 'cell-failed') lines(e);
  };
}
