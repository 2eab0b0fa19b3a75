// The committed kernelspec: no absolute paths, a launcher that explains what is missing, folder-index imports, and a
// real kernel run of the display helpers (tables, a plot bundle with PNG, an in-place progress bar).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KERNEL_NAME, PROJECT_JUPYTER, ROOT, joinText, readNotebook, type NotebookOutput } from './notebook-files';

const KERNEL_DIR = join(PROJECT_JUPYTER, 'kernels', KERNEL_NAME);
const LAUNCHER = join(KERNEL_DIR, 'launch.cjs');

interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
}

test('kernel.json starts launch.cjs through {resource_dir} and holds no absolute path', () => {
  const spec = JSON.parse(readFileSync(join(KERNEL_DIR, 'kernel.json'), 'utf8')) as KernelSpec;
  assert.deepEqual(spec.argv, ['node', '{resource_dir}/launch.cjs', '{connection_file}']);
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.display_name, 'TypeScript (spurious-rlvr)');
  assert.ok(existsSync(LAUNCHER));
});

test('the launcher finds the project root four folders up and explains a missing argument', () => {
  const { root } = createRequire(join(ROOT, 'package.json'))(LAUNCHER) as { root: string };
  assert.equal(root, ROOT);
  const r = spawnSync(process.execPath, [LAUNCHER], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing connection file argument/);
});

test('a copy of the kernelspec outside a project with tslab says to run npm ci', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-kernel-'));
  try {
    const copy = join(dir, 'env', 'jupyter', 'kernels', KERNEL_NAME);
    mkdirSync(copy, { recursive: true });
    cpSync(LAUNCHER, join(copy, 'launch.cjs'));
    const conn = join(dir, 'conn.json');
    writeFileSync(conn, '{}');
    const r = spawnSync(process.execPath, [join(copy, 'launch.cjs'), conn], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /tslab is not installed under .*node_modules/);
    assert.match(r.stderr, /Run `npm ci`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('folder imports are rewritten to <folder>/index only for relative folders holding an index.ts', () => {
  const { withFolderIndexes } = createRequire(join(ROOT, 'package.json'))(LAUNCHER) as {
    withFolderIndexes: (req: (id: string) => string, baseDir: string) => (id: string) => string;
  };
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-idx-'));
  try {
    mkdirSync(join(dir, 'util'));
    writeFileSync(join(dir, 'util', 'index.ts'), 'export {};');
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'file.ts'), 'export {};');
    const req = withFolderIndexes((id: string) => id, join(dir, 'sub', '..'));
    assert.equal(req('./util'), './util/index');
    assert.equal(req('./util/'), './util/index');
    assert.equal(req('./data'), './data'); // no index.ts: left to node
    assert.equal(req('./file'), './file');
    assert.equal(req('./util/index.js'), './util/index.js');
    assert.equal(req('arquero'), 'arquero');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function findJupyter(): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(d, 'jupyter');
    if (d && existsSync(p) && statSync(p).isFile()) return p;
  }
  return null;
}

function cellNotebook(sources: string[]): string {
  const cells = sources.map((s) => ({ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: s }));
  const kernelspec = { name: KERNEL_NAME, display_name: 'TypeScript (spurious-rlvr)', language: 'typescript' };
  return JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 });
}

test('in a real kernel, lib/notebook sends tables, a plot bundle with PNG and an in-place progress bar', async () => {
  const jupyter = findJupyter();
  assert.ok(jupyter, 'jupyter is not on PATH; install it: apt-get install jupyter-nbconvert python3-nbclient');
  // Inside the project (git-ignored .cache/) so that packages resolve from node_modules, as from notebooks/.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.cache', 'kernel-test-'));
  try {
    symlinkSync(join(ROOT, 'lib'), join(dir, 'lib')); // as notebooks/lib does
    writeFileSync(
      join(dir, 'k.ipynb'),
      cellNotebook([
        "import { showTable, plot, progressBar, inNotebook } from './lib/notebook';\nconsole.log(inNotebook());",
        "showTable([{ a: 1, b: 'x' }], { caption: 'T' });",
        "await plot({ data: [{ type: 'bar', x: ['p', 'q'], y: [1, 2] }] }, { width: 320, height: 200 });",
        "const bar = progressBar({ total: 3, label: 'steps' });\nfor (let i = 1; i <= 3; i++) bar.update(i);\nbar.done();",
      ]),
    );
    const env = { ...process.env, JUPYTER_PATH: PROJECT_JUPYTER };
    const args = ['nbconvert', '--to', 'notebook', '--execute', '--allow-errors', '--output', 'out.ipynb', 'k.ipynb'];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(jupyter, args, { cwd: dir, env, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', resolve);
    });
    assert.equal(code, 0);
    const cells = readNotebook(join(dir, 'out.ipynb')).cells;
    const outs = (i: number): NotebookOutput[] => cells[i].outputs ?? [];
    const stderr = cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === 'stderr').map((o) => joinText(o.text)));
    assert.deepEqual(stderr, []);
    assert.equal(joinText(outs(0)[0]?.text), 'true\n');
    assert.match(joinText(outs(1)[0]?.data?.['text/html'] as string | string[]), /<caption>T<\/caption>/);
    const fig = outs(2)[0]?.data ?? {};
    assert.deepEqual(fig['application/vnd.plotly.v1+json'], { data: [{ type: 'bar', x: ['p', 'q'], y: [1, 2] }] });
    assert.deepEqual([...Buffer.from(fig['image/png'] as string, 'base64').subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    // One display, updated in place: the saved notebook holds a single output in its final state.
    assert.equal(outs(3).length, 1);
    assert.match(joinText(outs(3)[0].data?.['text/html'] as string | string[]), /<progress value="3" max="3"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
