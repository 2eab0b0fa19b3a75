// `npm run notebooks` (scripts/notebooks.ts) on a scratch folder of notebooks: a good notebook is re-executed in place
// with its stamp and without volatile metadata; one that writes to stderr is refused and left byte for byte as it
// was; names are matched exactly, without .ipynb, or by a unique prefix. Needs jupyter nbconvert (like execute.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeStamp, storedStamps } from '../../lib/notebook/index';
import { KERNEL_NAME, ROOT, readNotebook } from './notebook-files';

const SCRIPT = join(ROOT, 'scripts', 'notebooks.ts');
let dir: string;

function notebook(sources: string[]): string {
  const cells = sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source }));
  const kernelspec = { name: KERNEL_NAME, display_name: 'TypeScript (spurious-rlvr)', language: 'typescript' };
  return `${JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
}

function script(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, '--dir', dir, ...args], { cwd: ROOT, encoding: 'utf8', env: process.env });
}

before(() => {
  // Inside the project (git-ignored .cache/), so that packages resolve from node_modules, as from notebooks/.
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  dir = mkdtempSync(join(ROOT, '.cache', 'notebooks-script-'));
  symlinkSync(join(ROOT, 'lib'), join(dir, 'lib'));
  writeFileSync(join(dir, 'a-good.ipynb'), notebook([
    "import { stampNotebook, showTable } from './lib/notebook';\nstampNotebook('a-good.ipynb');\nshowTable([{ a: 1 }]);",
    'console.log(6 * 7);',
  ]));
  writeFileSync(join(dir, 'b-bad.ipynb'), notebook(["console.log('fine');", "console.error('not fine');", 'console.log(2);']));
  writeFileSync(join(dir, 'b-other.ipynb'), notebook(['console.log(1);']));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('unknown and ambiguous names are usage errors that list the notebooks, before anything runs', () => {
  const r = script(['zzz']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /"zzz" matches no notebook; the notebooks in .*: a-good\.ipynb, b-bad\.ipynb, b-other\.ipynb/);
  const amb = script(['b-']);
  assert.equal(amb.status, 2);
  assert.match(amb.stderr, /"b-" matches 2 notebooks \(b-bad\.ipynb, b-other\.ipynb\)/);
  assert.equal(script(['--presets', 'x']).status, 2);
});

test('a good notebook is written in place with its stamp; a notebook with stderr output is refused and untouched', () => {
  const badBefore = readFileSync(join(dir, 'b-bad.ipynb'));
  const r = script(['a', 'b-bad.ipynb']);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^executing 2 notebook\(s\) in .* with RLVR_NOTEBOOK_PRESET=full$/m);
  assert.match(r.stdout, /^a-good\.ipynb … \d+\.\d s, \d+\.\d\d MB$/m);
  assert.match(r.stdout, /^b-bad\.ipynb … FAILED after \d+\.\d s; b-bad\.ipynb is left as it was$/m);
  assert.match(r.stderr, /cell 1 \(console\.error\('not fine'\);\) wrote to stderr:\n\s+not fine/);
  assert.match(r.stderr, /1 of 2 notebook\(s\) failed and were not written: b-bad\.ipynb/);
  assert.doesNotMatch(r.stderr, /warning/);
  assert.deepEqual(readFileSync(join(dir, 'b-bad.ipynb')), badBefore);

  const good = join(dir, 'a-good.ipynb');
  const nb = readNotebook(good);
  assert.deepEqual(storedStamps(good), [computeStamp(good, 'full')]);
  assert.equal(nb.cells[1].outputs?.[0]?.text?.toString(), '42\n');
  for (const cell of nb.cells) assert.deepEqual((cell as { metadata?: object }).metadata, {}, 'no execution timestamps');
  // Nothing is left behind in .cache/ or next to the notebooks.
  assert.deepEqual(spawnSync('ls', ['-A', dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort(), ['a-good.ipynb', 'b-bad.ipynb', 'b-other.ipynb', 'lib']);
});
