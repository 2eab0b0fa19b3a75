// A cheap guard on the library's layering (notes/style.md §2): folders import each other without cycles,
// nothing imports the notebook display helpers or the CLI, and the text-only folders (verifier, detectors,
// rewards, data, util) never load tfjs, so scoring stays fast and usable from other RL stacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const LIB = resolve('lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string): string => relative(LIB, file).split(sep)[0];
const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm;

/** folder -> folders it imports (relative imports resolved to their top-level lib folder), and tfjs users. */
function graph(): { deps: Map<string, Set<string>>; tfjs: Set<string> } {
  const deps = new Map<string, Set<string>>();
  const tfjs = new Set<string>();
  for (const file of sources(LIB)) {
    const from = folderOf(file);
    if (!deps.has(from)) deps.set(from, new Set());
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('@tensorflow/')) tfjs.add(from);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(LIB + sep)) continue;
      const to = folderOf(target);
      if (to !== from) deps.get(from)!.add(to);
    }
  }
  return { deps, tfjs };
}

const { deps, tfjs } = graph();

function closure(folder: string): Set<string> {
  const seen = new Set<string>();
  const stack = [folder];
  while (stack.length > 0) for (const d of deps.get(stack.pop()!) ?? []) if (!seen.has(d)) { seen.add(d); stack.push(d); }
  return seen;
}

test('the import graph sees the library (sanity check of the guard itself)', () => {
  assert.ok(deps.get('rewards')?.has('verifier'), 'rewards imports verifier');
  assert.ok(tfjs.has('tensor'), 'tensor imports tfjs');
});

test('lib folders import each other without cycles', () => {
  for (const folder of deps.keys()) assert.ok(!closure(folder).has(folder), `${folder} reaches itself through ${[...closure(folder)].join(', ')}`);
});

test('nothing in lib imports notebook/ or cli/', () => {
  for (const [folder, ds] of deps) {
    if (folder !== 'cli') assert.ok(!ds.has('cli'), `${folder} imports cli`);
    if (folder !== 'notebook') assert.ok(!ds.has('notebook'), `${folder} imports notebook`);
  }
});

test('the text-only folders never load tfjs, directly or through another folder', () => {
  for (const folder of ['util', 'verifier', 'detectors', 'rewards', 'data', 'reward-service']) {
    const reach = [folder, ...closure(folder)];
    const heavy = reach.filter((f) => tfjs.has(f));
    assert.deepEqual(heavy, [], `${folder} reaches tfjs through ${heavy.join(', ')}`);
  }
});
