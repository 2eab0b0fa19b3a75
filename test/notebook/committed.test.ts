// The rules of a committed notebook (lib/notebook/committed.ts), on small notebooks written to a temporary project.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  cellsWithoutOutputs,
  committedNotebookProblems,
  errorOutputs,
  figuresWithoutPng,
  plotlyBundleSignatures,
  volatileMetadata,
  NOTEBOOK_SIZE_BUDGET,
  type StoredCell,
} from '../../lib/notebook/committed';
import { computeStamp, plotBundle, stampBundle } from '../../lib/notebook/index';

const PLOTLY_BUNDLE = createRequire(resolve('package.json')).resolve('plotly.js-dist-min');

let root: string;
let nbPath: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rlvr-committed-'));
  writeFileSync(join(root, 'package.json'), '{}');
  mkdirSync(join(root, 'lib', 'x'), { recursive: true });
  writeFileSync(join(root, 'lib', 'x', 'index.ts'), 'export const x = 1;\n');
  mkdirSync(join(root, 'notebooks'));
  symlinkSync(join(root, 'lib'), join(root, 'notebooks', 'lib'), 'dir');
  nbPath = join(root, 'notebooks', 'n.ipynb');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const code = (source: string, outputs: object[] = [], metadata: Record<string, unknown> = {}): StoredCell => ({ cell_type: 'code', source, outputs, metadata });
const stdout = (text: string) => ({ output_type: 'stream', name: 'stdout', text });

function save(cells: StoredCell[], metadata: object = {}): void {
  writeFileSync(nbPath, JSON.stringify({ cells: cells.map((c, i) => ({ id: `c${i}`, ...c })), metadata, nbformat: 4, nbformat_minor: 5 }, null, 1));
}

/** A notebook as a full run leaves it: the stamp in the first cell, an output in every code cell. */
function goodCells(): StoredCell[] {
  save([code("import { x } from './lib/x';"), code('console.log(x);'), code('  \n')]); // the code the stamp hashes
  const stamp = { output_type: 'display_data', metadata: {}, data: stampBundle(computeStamp(nbPath, 'full')) };
  return [code("import { x } from './lib/x';", [stamp]), { cell_type: 'markdown', source: 'text' }, code('console.log(x);', [stdout('1\n')]), code('  \n')];
}

function plotlyHead(bytes: number): string {
  const fd = openSync(PLOTLY_BUNDLE, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    readSync(fd, buf, 0, bytes, 0);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

test('a notebook fresh from a full run has no problems', () => {
  save(goodCells());
  assert.deepEqual(committedNotebookProblems(nbPath), []);
});

test('code cells without outputs are named; blank code cells and markdown are not', () => {
  const cells = goodCells();
  cells[2] = code('console.log(x);');
  assert.deepEqual(cellsWithoutOutputs({ cells }), ['cell 2 (console.log(x);)']);
  save(cells);
  assert.deepEqual(committedNotebookProblems(nbPath), ['code cells without outputs: cell 2 (console.log(x);)']);
  save(cells.map((c) => ({ ...c, outputs: c.cell_type === 'code' ? [] : undefined })));
  assert.equal(committedNotebookProblems(nbPath)[0], 'none of its 2 code cells has outputs: it was committed without being executed');
});

test('error outputs and stderr text are named with their cell', () => {
  const cells = goodCells();
  cells[2] = code('console.log(y);', [stdout('ok\n'), { output_type: 'stream', name: 'stderr', text: ['1:13 - Cannot find name ', "'y'.\n"] }]);
  cells.push(code('throw 1', [{ output_type: 'error', ename: 'Error', evalue: 'boom', traceback: ['at cell'] }]));
  assert.deepEqual(errorOutputs({ cells }), [
    "cell 2 (console.log(y);) wrote to stderr:\n1:13 - Cannot find name 'y'.\n",
    'cell 4 (throw 1) raised an error:\nError: boom\nat cell',
  ]);
  // In a saved notebook, with the code unchanged (so the stamp still holds): the stderr output alone fails it.
  const saved = goodCells();
  saved[2] = code('console.log(x);', [{ output_type: 'stream', name: 'stderr', text: 'warning\n' }]);
  save(saved);
  assert.deepEqual(committedNotebookProblems(nbPath), ['cell 2 (console.log(x);) wrote to stderr:\nwarning\n']);
});

test('a notebook over the size budget fails with its size and the advice to shrink figures', () => {
  const cells = goodCells();
  cells[2] = code('console.log(x);', [{ output_type: 'display_data', metadata: {}, data: { 'image/png': 'A'.repeat(4096), 'text/plain': 'fig' } }]);
  save(cells);
  assert.deepEqual(committedNotebookProblems(nbPath, { budget: 1 << 20 }), []);
  const [p, ...rest] = committedNotebookProblems(nbPath, { budget: 4096 });
  assert.deepEqual(rest, []);
  assert.match(p, /^it is 0\.01 MB, over the 0\.00 MB budget: make its figures smaller/);
  assert.ok(NOTEBOOK_SIZE_BUDGET >= 1 << 20 && NOTEBOOK_SIZE_BUDGET < 4.8e6, 'the default budget sits between our notebooks and one plotly.js copy');
});

test('the start of the real plotly.js bundle is recognised; figure JSON, PNG data and prose mentioning plotly are not', async () => {
  assert.deepEqual(plotlyBundleSignatures(plotlyHead(2000)), ['the "plotly.js vX.Y" banner', 'the "Copyright …, Plotly, Inc" line']);
  const source = readFileSync(PLOTLY_BUNDLE, 'utf8');
  const at = source.indexOf('plotly-notifier');
  assert.ok(at > 0);
  assert.deepEqual(plotlyBundleSignatures(source.slice(at - 5000, at + 5000)), ['the library source ("plotly-notifier")'], 'a chunk from the middle, banner stripped');
  const bundle = await plotBundle({ data: [{ type: 'bar', name: 'plotly.js', x: ['a'], y: [1] }], layout: { title: 'Plotly figure' } }, { png: false });
  assert.deepEqual(plotlyBundleSignatures(JSON.stringify(bundle)), []);
  assert.deepEqual(plotlyBundleSignatures('iVBORw0KGgoAAAANSUhEUgAAAtAAAAGQCAYAAAB'), []);
  assert.deepEqual(plotlyBundleSignatures('We draw figures with plotly.js, as JSON.'), []);
});

test('an output that inlines plotly.js fails the notebook', () => {
  const cells = goodCells();
  const html = `<script type="text/javascript">${plotlyHead(3000)}</script><div id="fig"></div>`;
  cells[2] = code('console.log(x);', [{ output_type: 'display_data', metadata: {}, data: { 'text/html': html, 'text/plain': 'fig' } }]);
  save(cells);
  const problems = committedNotebookProblems(nbPath);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^an output inlines the plotly\.js library \(the "plotly\.js vX\.Y" banner/);
});

test('a figure without its PNG is named (plotly JSON alone shows nothing on a code-hosting site)', () => {
  const cells = goodCells();
  const figure = { 'application/vnd.plotly.v1+json': { data: [] }, 'text/plain': 'Figure' };
  cells[2] = code('console.log(x);', [{ output_type: 'display_data', metadata: {}, data: figure }]);
  assert.deepEqual(figuresWithoutPng({ cells }), ['cell 2 (console.log(x);)']);
  cells[2] = code('console.log(x);', [{ output_type: 'display_data', metadata: {}, data: { ...figure, 'image/png': 'iVBOR' } }]);
  assert.deepEqual(figuresWithoutPng({ cells }), []);
  cells[2] = code('console.log(x);', [{ output_type: 'display_data', metadata: {}, data: figure }]);
  save(cells);
  assert.deepEqual(committedNotebookProblems(nbPath), ['figures without a static PNG (was chromium missing, or RLVR_PLOT_PNG=0?): cell 2 (console.log(x);)']);
});

test('execution timestamps and widget or papermill metadata are flagged as volatile', () => {
  const cells = goodCells();
  cells[2] = code('console.log(x);', [stdout('1\n')], { execution: { 'iopub.execute_input': '2026-12-02T21:00:00Z' } });
  assert.deepEqual(volatileMetadata({ cells, metadata: { widgets: {} } }), ['cell 2: metadata.execution', 'metadata.widgets']);
  save(cells);
  assert.deepEqual(committedNotebookProblems(nbPath), ['volatile metadata that makes every run a diff: cell 2: metadata.execution']);
});

test('a stale or missing stamp is reported through the same check', () => {
  const cells = goodCells();
  save(cells);
  writeFileSync(join(root, 'lib', 'x', 'index.ts'), 'export const x = 2;\n');
  assert.deepEqual(committedNotebookProblems(nbPath), ['the library code it depends on changed after it was executed (changed: lib/x/index.ts)']);
  cells[0] = code("import { x } from './lib/x';", [stdout('no stamp\n')]);
  save(cells);
  assert.match(committedNotebookProblems(nbPath).join('\n'), /^no stamp in its outputs/);
});
