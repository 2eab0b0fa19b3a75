// The notebook stamp: which library files a notebook depends on (the closure of its relative imports) and the hashes
// the committed-outputs check compares. Everything runs on a small fake project in a temporary folder.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  closureHash,
  codeHash,
  computeStamp,
  diffStampFiles,
  libraryClosure,
  relativeImports,
  resolveModule,
  stampBundle,
  stampNotebook,
  stampProblems,
  STAMP_MIME,
  type NotebookStamp,
} from '../../lib/notebook/index';
import { recordingSink } from './recording-sink';

let root: string;
let nbPath: string;

function write(rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

interface Cell {
  cell_type: 'code' | 'markdown';
  source: string;
  outputs?: object[];
}

function writeNotebook(rel: string, cells: Cell[]): string {
  const nb = {
    cells: cells.map((c, i) => ({ id: `c${i}`, metadata: {}, ...c, ...(c.cell_type === 'code' ? { execution_count: null, outputs: c.outputs ?? [] } : {}) })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  write(rel, JSON.stringify(nb, null, 1));
  return join(root, rel);
}

const CODE: Cell[] = [
  { cell_type: 'code', source: "import { a } from './lib/a';\nimport { readFileSync } from 'node:fs';\nimport { from } from 'arquero';" },
  { cell_type: 'markdown', source: "Markdown that mentions `import { c } from './lib/c'` is not code." },
  { cell_type: 'code', source: 'console.log(a);' },
];

// lib/a -> a/x.ts (re-export) -> lib/b (folder index, `import type`, multi-line braces) -> b/data.json;
// a/x.ts also loads lib/d/dyn.ts through import() and lib/e/req.ts through require(). lib/c is not imported.
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rlvr-stamp-'));
  write('package.json', '{}');
  write('lib/a/index.ts', "export * from './x';\n");
  write('lib/a/x.ts', [
    "import type {\n  B,\n  BB,\n} from '../b';",
    "export const a: B = 1;",
    "export const later = () => import('../d/dyn');",
    "export const req = () => require('../e/req');",
    "export const pkg = () => import('node:path');",
  ].join('\n'));
  write('lib/b/index.ts', "import data from './data.json';\nexport type B = number;\nexport type BB = typeof data;\n");
  write('lib/b/data.json', '{"v": 1}');
  write('lib/c/index.ts', 'export const c = 3;\n');
  write('lib/d/dyn.ts', 'export const d = 4;\n');
  write('lib/e/req.ts', 'module.exports = 5;\n');
  mkdirSync(join(root, 'notebooks'));
  symlinkSync(join(root, 'lib'), join(root, 'notebooks', 'lib'), 'dir');
  nbPath = writeNotebook('notebooks/n.ipynb', CODE);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const EXPECTED = ['lib/a/index.ts', 'lib/a/x.ts', 'lib/b/data.json', 'lib/b/index.ts', 'lib/d/dyn.ts', 'lib/e/req.ts'];

test('relativeImports finds static, type-only, multi-line, re-export, side-effect, dynamic and require imports, not packages', () => {
  const src = [
    "import { x } from './one';",
    "import type {\n  T,\n} from '../two';",
    "export * from './three';",
    "import './four';",
    "const m = await import('./five');",
    "const r = require(\"../six\");",
    "import fs from 'node:fs';",
    "import { from as f } from 'arquero';",
    "import('./one');",
  ].join('\n');
  assert.deepEqual(relativeImports(src), ['./one', '../two', './three', './four', './five', '../six']);
});

test('resolveModule resolves like tslab: extensionless files, folder indexes, .js written for .ts; null when missing', () => {
  const lib = join(root, 'lib');
  assert.equal(resolveModule(join(lib, 'a'), './x'), join(root, 'lib/a/x.ts'));
  assert.equal(resolveModule(lib, './b'), join(root, 'lib/b/index.ts'));
  assert.equal(resolveModule(join(lib, 'a'), './x.js'), join(root, 'lib/a/x.ts'));
  assert.equal(resolveModule(join(lib, 'b'), './data.json'), join(root, 'lib/b/data.json'));
  assert.equal(resolveModule(lib, './nope'), null);
  // Through the notebooks/lib symlink, the real path comes back.
  assert.equal(resolveModule(join(root, 'notebooks'), './lib/a'), join(root, 'lib/a/index.ts'));
});

test('the closure is exactly the files the code cells reach, as real paths under lib/, and nothing else', () => {
  const c = libraryClosure(nbPath);
  assert.equal(c.root, root);
  assert.deepEqual(c.files, EXPECTED);
  assert.deepEqual(c.unresolved, []);
});

test('a change in a direct or a deep dependency changes the hash, and the diff names that file', () => {
  const before = computeStamp(nbPath, 'full');
  for (const file of ['lib/a/index.ts', 'lib/b/data.json', 'lib/d/dyn.ts', 'lib/e/req.ts']) {
    const original = readFileSync(join(root, file), 'utf8');
    appendFileSync(join(root, file), file.endsWith('.json') ? ' ' : '// edit\n');
    const after = computeStamp(nbPath, 'full');
    assert.notEqual(after.library, before.library, `${file} changed but the hash did not`);
    assert.deepEqual(diffStampFiles(before.files, after.files), { changed: [file], added: [], removed: [] });
    writeFileSync(join(root, file), original);
    assert.equal(computeStamp(nbPath, 'full').library, before.library, `${file} restored: the hash is back`);
  }
});

test('a change in a lib file the notebook does not import leaves the hash alone', () => {
  const before = closureHash(libraryClosure(nbPath));
  appendFileSync(join(root, 'lib/c/index.ts'), 'export const c2 = 4;\n');
  write('lib/f/new.ts', 'export {};\n');
  assert.equal(closureHash(libraryClosure(nbPath)), before);
});

test('a dependency that starts importing another file adds it to the closure and changes the hash', () => {
  const before = computeStamp(nbPath, 'full');
  appendFileSync(join(root, 'lib/d/dyn.ts'), "export { c } from '../c';\n");
  const after = computeStamp(nbPath, 'full');
  assert.notEqual(after.library, before.library);
  assert.deepEqual(diffStampFiles(before.files, after.files), { changed: ['lib/d/dyn.ts'], added: ['lib/c/index.ts'], removed: [] });
});

test('an import that resolves to nothing is reported and counts in the hash', () => {
  const before = closureHash(libraryClosure(nbPath));
  // From a code cell: the files stay the same, only the unresolved list differs.
  writeNotebook('notebooks/n.ipynb', [...CODE, { cell_type: 'code', source: "import { n } from './lib/nope';" }]);
  const c = libraryClosure(nbPath);
  assert.deepEqual(c.files, EXPECTED);
  assert.deepEqual(c.unresolved, ['notebooks/n.ipynb: ./lib/nope']);
  assert.notEqual(closureHash(c), before);
  appendFileSync(join(root, 'lib/a/x.ts'), "\nexport * from './missing';\n");
  assert.deepEqual(libraryClosure(nbPath).unresolved, ['lib/a/x.ts: ./missing', 'notebooks/n.ipynb: ./lib/nope']);
});

test('the code hash follows the code cells only, not markdown or outputs', () => {
  const before = codeHash(nbPath);
  const markdownEdited = CODE.map((c) => (c.cell_type === 'markdown' ? { ...c, source: 'other words' } : c));
  writeNotebook('notebooks/n.ipynb', markdownEdited.map((c) => (c.cell_type === 'code' ? { ...c, outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }] } : c)));
  assert.equal(codeHash(nbPath), before);
  writeNotebook('notebooks/n.ipynb', CODE.map((c, i) => (i === 2 ? { ...c, source: 'console.log(a + 1);' } : c)));
  assert.notEqual(codeHash(nbPath), before);
});

test('stampNotebook shows the stamp under its own MIME type with a one-line text', () => {
  const sink = recordingSink('notebook');
  stampNotebook('n.ipynb', { dir: join(root, 'notebooks'), preset: 'smoke', sink });
  assert.equal(sink.shown.length, 1);
  const stamp = sink.shown[0].bundle[STAMP_MIME] as NotebookStamp;
  assert.deepEqual(stamp, computeStamp(nbPath, 'smoke'));
  assert.equal(stamp.notebook, 'n.ipynb');
  assert.deepEqual(Object.keys(stamp.files), EXPECTED);
  assert.match(sink.shown[0].bundle['text/plain'] as string, /^outputs of preset "smoke"; library [0-9a-f]{12} \(6 files\), code [0-9a-f]{12}$/);
  // Outside a notebook it shows nothing; a wrong name is an error that says what to pass.
  const terminal = recordingSink('terminal');
  stampNotebook('n.ipynb', { dir: join(root, 'notebooks'), sink: terminal });
  assert.equal(terminal.shown.length, 0);
  // From the project root it finds notebooks/<name>; a wrong name is reported (stderr in a kernel), not thrown.
  const fromRoot = recordingSink('notebook');
  stampNotebook('n.ipynb', { dir: root, preset: 'smoke', sink: fromRoot });
  assert.deepEqual(fromRoot.shown[0].bundle[STAMP_MIME], computeStamp(nbPath, 'smoke'));
  const warnings: string[] = [];
  const none = recordingSink('notebook');
  stampNotebook('m.ipynb', { dir: join(root, 'notebooks'), sink: none, warn: (m) => warnings.push(m) });
  assert.equal(none.shown.length, 0);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /^stampNotebook: no notebook "m\.ipynb" in .*notebooks; pass this notebook's own file name/);
});

/** The notebook as `npm run notebooks` would leave it: the stamp output in the first code cell. */
function executed(stamp: NotebookStamp): void {
  const display = { output_type: 'display_data', metadata: {}, data: stampBundle(stamp) };
  writeNotebook('notebooks/n.ipynb', CODE.map((c, i) => (i === 0 ? { ...c, outputs: [display] } : c)));
}

test('stampProblems: none for a fresh full stamp; each kind of staleness is named', () => {
  executed(computeStamp(nbPath, 'full'));
  assert.deepEqual(stampProblems(nbPath), []);

  appendFileSync(join(root, 'lib/d/dyn.ts'), '// edit\n');
  const [p] = stampProblems(nbPath);
  assert.match(p, /library code it depends on changed after it was executed \(changed: lib\/d\/dyn\.ts\)/);

  executed(computeStamp(nbPath, 'smoke'));
  assert.deepEqual(stampProblems(nbPath), ['its outputs come from preset "smoke", not "full"']);

  executed({ ...computeStamp(nbPath, 'full'), notebook: '01-other.ipynb' });
  assert.match(stampProblems(nbPath).join('\n'), /stamp names "01-other\.ipynb": the stampNotebook call must pass this notebook's file name, 'n\.ipynb'/);

  writeNotebook('notebooks/n.ipynb', CODE);
  assert.match(stampProblems(nbPath).join('\n'), /no stamp in its outputs: its first code cell must call stampNotebook\('n\.ipynb'/);
});

test('stampProblems: code cells edited after the run are named', () => {
  executed(computeStamp(nbPath, 'full'));
  const nb = JSON.parse(readFileSync(nbPath, 'utf8')) as { cells: { source: string }[] };
  nb.cells[2].source = 'console.log(a * 2);';
  writeFileSync(nbPath, JSON.stringify(nb));
  assert.deepEqual(stampProblems(nbPath), ['its code cells changed after it was executed']);
});
