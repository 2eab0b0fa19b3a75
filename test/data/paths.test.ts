import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '../../lib/util';
import { DATA_DIR_ENV, dataDirs, findProjectRoot, resolveDataFile } from '../../lib/data';

const REL = 'rethink_rlvr/AMC-TTT/test.json';

/** A fake checkout: <tmp>/proj (package.json named spurious-rlvr, data/, notebooks/), <tmp>/shared/data, <tmp>/opt, <tmp>/envdir. */
function layout() {
  const tmp = mkdtempSync(join(tmpdir(), 'rlvr-paths-'));
  const proj = join(tmp, 'proj');
  mkdirSync(join(proj, 'notebooks'), { recursive: true });
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'spurious-rlvr' }));
  const dirs = { project: join(proj, 'data'), shared: join(tmp, 'shared', 'data'), option: join(tmp, 'opt'), env: join(tmp, 'envdir') };
  const put = (dir: string, rel = REL) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), '[]');
    return join(dir, rel);
  };
  return { tmp, proj, dirs, put, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

test('explicit dataDir option wins over env, data/ and shared, and is used alone', () => {
  const l = layout();
  try {
    const inOption = l.put(l.dirs.option);
    l.put(l.dirs.env);
    l.put(l.dirs.project);
    l.put(l.dirs.shared);
    const env = { [DATA_DIR_ENV]: l.dirs.env };
    assert.equal(resolveDataFile(REL, { dataDir: l.dirs.option, env, cwd: l.proj }), inOption);
    assert.deepEqual(dataDirs({ dataDir: l.dirs.option, env, cwd: l.proj }), [{ dir: l.dirs.option, origin: 'option' }]);
    // The file exists elsewhere, but an explicit dir without it is an error that says where it looked.
    const emptyOpt = join(l.tmp, 'empty-opt');
    assert.throws(
      () => resolveDataFile(REL, { dataDir: emptyOpt, env, cwd: l.proj }),
      (e: unknown) => e instanceof DataError && e.message.includes(join(emptyOpt, REL)) && !e.message.includes(l.dirs.project) && e.message.includes('rlvr data pull'),
    );
  } finally {
    l.cleanup();
  }
});

test('env RLVR_DATA_DIR wins over data/ and shared, and is used alone', () => {
  const l = layout();
  try {
    const inEnv = l.put(l.dirs.env);
    l.put(l.dirs.project);
    assert.equal(resolveDataFile(REL, { env: { [DATA_DIR_ENV]: l.dirs.env }, cwd: l.proj }), inEnv);
    const other = join(l.tmp, 'other-env');
    assert.throws(
      () => resolveDataFile(REL, { env: { [DATA_DIR_ENV]: other }, cwd: l.proj }),
      (e: unknown) => e instanceof DataError && e.message.includes(join(other, REL)) && e.message.includes('(env)'),
    );
  } finally {
    l.cleanup();
  }
});

test('without option or env: data/ first, then ../shared/data, per file; works from notebooks/', () => {
  const l = layout();
  try {
    const inShared = l.put(l.dirs.shared);
    const cwd = join(l.proj, 'notebooks');
    const env = {};
    assert.deepEqual(dataDirs({ env, cwd }), [
      { dir: l.dirs.project, origin: 'project' },
      { dir: l.dirs.shared, origin: 'shared' },
    ]);
    assert.equal(resolveDataFile(REL, { env, cwd }), inShared, 'falls back to shared when data/ lacks the file');
    const inProject = l.put(l.dirs.project);
    assert.equal(resolveDataFile(REL, { env, cwd }), inProject, 'data/ wins once it has the file');
    // Another file present only in shared still resolves there.
    const other = l.put(l.dirs.shared, 'rethink_rlvr/AIME-TTT/test.json');
    assert.equal(resolveDataFile('rethink_rlvr/AIME-TTT/test.json', { env, cwd }), other);
  } finally {
    l.cleanup();
  }
});

test('a file found nowhere is a DataError listing every path looked at', () => {
  const l = layout();
  try {
    assert.throws(
      () => resolveDataFile(REL, { env: {}, cwd: l.proj }),
      (e: unknown) =>
        e instanceof DataError &&
        e.message.includes(join(l.dirs.project, REL)) &&
        e.message.includes(join(l.dirs.shared, REL)) &&
        e.message.includes('rlvr data pull'),
    );
    // A file the upstream snapshot never had: the message says pull cannot help.
    assert.throws(
      () => resolveDataFile('rethink_rlvr/DeepScaleR/train.json', { env: {}, cwd: l.proj }),
      /not in the public Rethink_RLVR snapshot/,
    );
  } finally {
    l.cleanup();
  }
});

test('project root is the nearest package.json named spurious-rlvr; none means no default dirs', () => {
  const l = layout();
  try {
    const nested = join(l.proj, 'sub');
    mkdirSync(nested);
    writeFileSync(join(nested, 'package.json'), JSON.stringify({ name: 'something-else' }));
    assert.equal(findProjectRoot(join(nested)), l.proj);
    assert.equal(findProjectRoot(l.tmp), undefined);
    assert.deepEqual(dataDirs({ env: {}, cwd: l.tmp }), []);
    assert.throws(() => resolveDataFile(REL, { env: {}, cwd: l.tmp }), /no spurious-rlvr project root/);
    // Outside any project, the launcher's RLVR_PROJECT_ROOT (its own install) supplies the default dirs.
    assert.deepEqual(dataDirs({ env: { RLVR_PROJECT_ROOT: l.proj }, cwd: l.tmp }).map((d) => d.origin), ['project', 'shared']);
    assert.equal(dataDirs({ env: { RLVR_PROJECT_ROOT: l.proj }, cwd: l.tmp })[0].dir, join(l.proj, 'data'));
  } finally {
    l.cleanup();
  }
});

test('relative option and env dirs resolve against cwd', () => {
  const l = layout();
  try {
    const p = l.put(l.dirs.option);
    assert.equal(resolveDataFile(REL, { dataDir: 'opt', env: {}, cwd: l.tmp }), p);
    assert.equal(resolveDataFile(REL, { env: { [DATA_DIR_ENV]: 'opt' }, cwd: l.tmp }), p);
  } finally {
    l.cleanup();
  }
});
