// provenance(): the commit and dirty flag recorded next to committed results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provenance } from '../../lib/util/provenance';

function scratchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-prov-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q');
  mkdirSync(join(dir, 'results'));
  writeFileSync(join(dir, 'code.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'results', 'cells.jsonl'), '{"x":1}\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init');
  return dir;
}

test('provenance: a changed results folder named in exclude does not make the code dirty; changed code does', () => {
  const dir = scratchRepo();
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    assert.deepEqual([provenance(dir).commit, provenance(dir).dirty], [head, false]);
    writeFileSync(join(dir, 'results', 'cells.jsonl'), '{"x":2}\n');
    assert.equal(provenance(dir).dirty, true, 'without exclude, any tracked change is dirty');
    assert.equal(provenance(dir, ['results']).dirty, false, 'the excluded results folder does not count');
    assert.equal(provenance(join(dir, 'results'), [join(dir, 'results')]).dirty, false, 'from a subfolder, with an absolute path');
    assert.equal(provenance(dir, [join(tmpdir(), 'elsewhere')]).dirty, true, 'a folder outside the checkout is ignored, not an error');
    writeFileSync(join(dir, 'code.ts'), 'export const a = 2;\n');
    assert.equal(provenance(dir, ['results']).dirty, true, 'changed code is dirty even with the results excluded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('provenance outside a git checkout: commit and dirty are null', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-prov-nogit-'));
  try {
    const p = provenance(dir, ['results']);
    assert.deepEqual([p.commit, p.dirty], [null, null]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
