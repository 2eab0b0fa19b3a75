import { notebookSink } from './kernel';
import { escapeHtml, newDisplayId, type DisplaySink } from './mime';

/** Extra text after the counter: a string, or metrics shown as `key=value`. */
export type ProgressExtra = string | Record<string, string | number>;

export interface ProgressBar {
  /** Sets the number of finished items (absolute, not an increment) and the extra text. */
  update(done: number, extra?: ProgressExtra): void;
  /** Marks the bar finished at the last count given to update(); later updates are ignored. */
  done(extra?: ProgressExtra): void;
}

/** A writable text stream; `isTTY` decides between in-place `\r` updates and periodic lines. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  total: number;
  label?: string;
  /** Where to draw: a notebook sink draws an HTML <progress> updated in place. Default: the tslab kernel if running. */
  sink?: DisplaySink;
  /** Terminal output when not in a notebook (default process.stderr, so stdout stays clean for data). */
  stream?: ProgressStream;
  /** On a non-TTY stream, print a line each time this many percent more are done (default 10). */
  everyPercent?: number;
  /** Milliseconds clock for the elapsed time (default Date.now). */
  clock?: () => number;
}

function formatExtra(extra: ProgressExtra | undefined): string {
  if (extra === undefined) return '';
  if (typeof extra === 'string') return extra;
  return Object.entries(extra)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? String(Number(v.toPrecision(4))) : v}`)
    .join(' ');
}

export interface ProgressState {
  done: number;
  total: number;
  label: string;
  extra: string;
  elapsedS: number;
}

function pct(s: ProgressState): number {
  return s.total === 0 ? 100 : Math.floor((100 * s.done) / s.total);
}

/** `label 30/100 (30%) 12.3s extra`: the line used on terminals and as text/plain. */
export function progressLine(s: ProgressState): string {
  const head = s.label ? `${s.label} ` : '';
  const tail = s.extra ? ` ${s.extra}` : '';
  return `${head}${s.done}/${s.total} (${pct(s)}%) ${s.elapsedS.toFixed(1)}s${tail}`;
}

/** The notebook form: an HTML <progress> plus the same text. */
export function progressHtml(s: ProgressState): string {
  return `<div><progress value="${s.done}" max="${s.total}" style="width: 20em; vertical-align: middle;"></progress> <span>${escapeHtml(progressLine(s))}</span></div>`;
}

/**
 * A progress bar that works in a notebook (an HTML <progress> updated in place through display ids) and on a
 * terminal (`\r` redraws on a TTY, a line every `everyPercent` percent otherwise). Redraws happen only when the
 * whole percentage or the extra text changes, so calling update() every step is cheap.
 */
export function progressBar(options: ProgressOptions): ProgressBar {
  const { total } = options;
  if (!Number.isFinite(total) || total < 0 || !Number.isInteger(total)) {
    throw new Error(`progressBar: total must be a non-negative integer, got ${total}`);
  }
  const clock = options.clock ?? Date.now;
  const start = clock();
  const sink = options.sink ?? notebookSink() ?? undefined;
  const notebook = sink?.kind === 'notebook' ? sink : undefined;
  const stream = options.stream ?? process.stderr;
  const every = options.everyPercent ?? 10;
  const displayId = newDisplayId('progress');
  const state: ProgressState = { done: 0, total, label: options.label ?? '', extra: '', elapsedS: 0 };
  let drawn = false;
  let lastKey = '';
  let lastStep = -1;
  let lastWidth = 0;
  let finished = false;

  const draw = (final: boolean): void => {
    state.elapsedS = (clock() - start) / 1000;
    const line = progressLine(state);
    if (notebook) {
      notebook.show({ 'text/html': progressHtml(state), 'text/plain': line }, { displayId, update: drawn });
    } else if (stream.isTTY) {
      const pad = ' '.repeat(Math.max(0, lastWidth - line.length));
      stream.write(`\r${line}${pad}${final ? '\n' : ''}`);
      lastWidth = line.length;
    } else {
      stream.write(`${line}\n`);
    }
    drawn = true;
  };

  const apply = (done: number, extra: ProgressExtra | undefined, final: boolean): void => {
    if (finished) return;
    if (!Number.isFinite(done) || done < 0) throw new Error(`progressBar.update: done must be a non-negative number, got ${done}`);
    state.done = Math.min(done, total);
    if (extra !== undefined) state.extra = formatExtra(extra);
    const p = pct(state);
    const key = `${p}|${state.extra}`;
    if (final) {
      finished = true;
      // A non-TTY stream already holds the line if nothing changed since it was printed.
      if (notebook || stream.isTTY || key !== lastKey) draw(true);
      return;
    }
    if (notebook || stream.isTTY) {
      if (key !== lastKey) {
        lastKey = key;
        draw(false);
      }
    } else {
      const step = Math.floor(p / every);
      if (step > lastStep) {
        lastStep = step;
        lastKey = key;
        draw(false);
      }
    }
  };

  return {
    update: (done, extra) => apply(done, extra, false),
    done: (extra) => apply(state.done, extra, true),
  };
}
