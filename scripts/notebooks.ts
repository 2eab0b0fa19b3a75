// `npm run notebooks [-- NAME…]`: re-executes the notebooks in place with the full preset, so the committed outputs
// are those of a real run (README, Notebooks). Each notebook runs through `jupyter nbconvert --execute` with the
// project's kernel (JUPYTER_PATH=env/jupyter) into a temporary file under .cache/, which replaces the notebook only
// when the run succeeded and its outputs hold no error and no stderr text: a failed run never touches the notebook.
//
//   npm run notebooks                       every notebooks/*.ipynb, one after another
//   npm run notebooks -- 02 08-real-models  the named ones (file name, name without .ipynb, or a unique prefix)
//   options: --preset NAME (default full; anything else is for trying the script, the committed-outputs test
//            accepts only full), --dir DIR (another notebooks folder), --timeout S (per cell, default 7200)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../lib/notebook/chromium';
import { errorOutputs, figuresWithoutPng, volatileMetadata, plotlyBundleSignatures, NOTEBOOK_SIZE_BUDGET, cellsWithoutOutputs, type StoredNotebook } from '../lib/notebook/committed';
import { stampProblems } from '../lib/notebook/stamp';
import { findJupyter, runCapturingStderr } from '../lib/notebook/jupyter';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECT_JUPYTER = join(ROOT, 'env', 'jupyter');
const USAGE = 'usage: npm run notebooks [-- [--preset full] [--dir DIR] [--timeout S] [NAME…]]';

interface Options {
  names: string[];
  preset: string;
  dir: string;
  timeout: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { names: [], preset: 'full', dir: join(ROOT, 'notebooks'), timeout: 7200 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--preset') o.preset = value();
    else if (a === '--dir') o.dir = resolve(value());
    else if (a === '--timeout') {
      o.timeout = Number(value());
      if (!Number.isInteger(o.timeout) || o.timeout <= 0) throw new UsageError('--timeout takes a positive number of seconds');
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else o.names.push(a);
  }
  return o;
}

class UsageError extends Error {}

/** The notebooks to run: all of them, or each name matched exactly, without .ipynb, or as a unique prefix. */
function selectNotebooks(dir: string, names: string[]): string[] {
  const all = readdirSync(dir).filter((f) => f.endsWith('.ipynb') && !f.startsWith('.')).sort();
  if (names.length === 0) return all;
  return names.map((n) => {
    const base = n.split(/[\\/]/).pop() ?? n;
    const exact = all.find((f) => f === base || f === `${base}.ipynb`);
    if (exact) return exact;
    const prefixed = all.filter((f) => f.startsWith(base));
    if (prefixed.length === 1) return prefixed[0];
    const why = prefixed.length === 0 ? 'no notebook' : `${prefixed.length} notebooks (${prefixed.join(', ')})`;
    throw new UsageError(`"${n}" matches ${why}; the notebooks in ${dir}: ${all.join(', ')}`);
  });
}

const tail = (s: string, n = 4000): string => (s.length > n ? `…${s.slice(-n)}` : s);

/** The exception at the end of nbconvert's stderr (a kernel that died, a cell timeout), without the Python traceback. */
function nbconvertError(stderr: string): string {
  const lines = stderr.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(Error|Exception|Interrupt)\b.*/.test(lines[i])) return tail(lines.slice(i).join('\n'));
  }
  return tail(stderr);
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** Executes one notebook into tmpDir; returns the path of the executed copy, or why it must not be written. */
async function execute(jupyter: string, dir: string, file: string, o: Options, tmpDir: string): Promise<{ path?: string; problems: string[] }> {
  const env = {
    ...process.env,
    JUPYTER_PATH: [PROJECT_JUPYTER, ...(process.env.JUPYTER_PATH ?? '').split(delimiter).filter((p) => p && resolve(p) !== PROJECT_JUPYTER)].join(delimiter),
    RLVR_NOTEBOOK_PRESET: o.preset,
  };
  // record_timing=False: no per-cell execution timestamps in the metadata, so an unchanged run is no diff.
  // --allow-errors: a failing cell does not stop the run, so the executed copy holds tslab's stderr text (compile and
  // runtime errors), which is quoted below; nbconvert's own message would only show the cell's source.
  const args = ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', `--ExecutePreprocessor.timeout=${o.timeout}`,
    '--ExecutePreprocessor.record_timing=False', '--ExecutePreprocessor.startup_timeout=180', '--output-dir', tmpDir, '--output', file, join(dir, file)];
  const r = await runCapturingStderr(jupyter, args, dir, env);
  const out = join(tmpDir, file);
  if (r.code !== 0 || !existsSync(out)) return { problems: [`jupyter nbconvert failed (exit ${r.code}):\n${nbconvertError(r.stderr)}`] };
  const nb = JSON.parse(readFileSync(out, 'utf8')) as StoredNotebook;
  const noPng = figuresWithoutPng(nb);
  const problems = [...errorOutputs(nb), ...volatileMetadata(nb)];
  if (noPng.length > 0) problems.push(`figures without a static PNG: ${noPng.join('; ')}`);
  return { path: out, problems };
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  let files: string[];
  try {
    o = parseArgs(argv);
    files = selectNotebooks(o.dir, o.names);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`npm run notebooks: ${e.message}\n${USAGE}`);
    return 2;
  }
  const jupyter = findJupyter();
  if (!jupyter) {
    console.error('npm run notebooks: jupyter is not on PATH; install it (Debian: apt-get install jupyter-nbconvert python3-nbclient chromium)');
    return 1;
  }
  // Committed figures carry a PNG (what code-hosting sites show): without chromium plot() would send a table instead.
  const png = (process.env.RLVR_PLOT_PNG ?? '').toLowerCase();
  if (!findChromium() || ['0', 'off', 'false'].includes(png)) {
    console.error('npm run notebooks: every figure needs its static PNG: install chromium (or set CHROMIUM_PATH) and leave RLVR_PLOT_PNG unset');
    return 1;
  }
  // On the project's file system (git-ignored .cache/), so that the final rename is atomic.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const tmpDir = mkdtempSync(join(ROOT, '.cache', 'notebooks-'));
  const failed: string[] = [];
  const started = Date.now();
  try {
    console.log(`executing ${files.length} notebook(s) in ${o.dir} with RLVR_NOTEBOOK_PRESET=${o.preset}`);
    for (const file of files) {
      const t0 = Date.now();
      process.stdout.write(`${file} … `);
      const { path, problems } = await execute(jupyter, o.dir, file, o, tmpDir);
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      if (!path || problems.length > 0) {
        console.log(`FAILED after ${seconds} s; ${file} is left as it was`);
        for (const p of problems) console.error(`  ${p.replace(/\n/g, '\n    ')}`);
        failed.push(file);
        continue;
      }
      const target = join(o.dir, file);
      try {
        renameSync(path, target);
      } catch (e) {
        // Another file system (--dir elsewhere): copy next to the target, then rename there.
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        const near = join(o.dir, `.${file}.${process.pid}.tmp`);
        copyFileSync(path, near);
        renameSync(near, target);
      }
      const size = statSync(target).size;
      console.log(`${seconds} s, ${mb(size)}`);
      // Written, but say now what the committed-outputs test will say later.
      const later: string[] = [];
      const nb = JSON.parse(readFileSync(target, 'utf8')) as StoredNotebook;
      const empty = cellsWithoutOutputs(nb);
      if (empty.length > 0) later.push(`code cells without outputs: ${empty.join('; ')}`);
      later.push(...stampProblems(target, o.preset));
      if (size > NOTEBOOK_SIZE_BUDGET) later.push(`${mb(size)} is over the ${mb(NOTEBOOK_SIZE_BUDGET)} budget of a committed notebook`);
      const plotly = plotlyBundleSignatures(readFileSync(target, 'utf8'));
      if (plotly.length > 0) later.push(`an output inlines plotly.js (${plotly.join(', ')})`);
      for (const p of later) console.error(`  warning: ${p}`);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const total = ((Date.now() - started) / 1000).toFixed(1);
  if (failed.length > 0) {
    console.error(`${failed.length} of ${files.length} notebook(s) failed and were not written: ${failed.join(', ')} (${total} s in all)`);
    return 1;
  }
  console.log(`done: ${files.length} notebook(s) in ${total} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
