// `rlvr data ...` through main() with captured output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { main } from '../../lib/cli/main';
import { findProjectRoot } from '../../lib/data';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

const ROOT = findProjectRoot() ?? process.cwd();
const SHARED = join(ROOT, '..', 'shared', 'data');

test('rlvr data where: explicit dir alone; default order data/ then shared', async () => {
  const explicit = await run(['data', 'where', '--data-dir', '/nonexistent/dir']);
  assert.equal(explicit.code, 0);
  assert.match(explicit.out, /1\. \/nonexistent\/dir {2}\[option\] {2}\(does not exist\)/);
  assert.doesNotMatch(explicit.out, /2\./);
  const saved = process.env.RLVR_DATA_DIR;
  delete process.env.RLVR_DATA_DIR;
  try {
    const dflt = await run(['data', 'where']);
    assert.equal(dflt.code, 0);
    assert.ok(dflt.out.includes(`project root: ${ROOT}`));
    const i = dflt.out.indexOf(`1. ${join(ROOT, 'data')}  [project]`);
    const j = dflt.out.indexOf(`2. ${SHARED}  [shared]`);
    assert.ok(i >= 0 && j > i, dflt.out);
  } finally {
    if (saved !== undefined) process.env.RLVR_DATA_DIR = saved;
  }
});

test('rlvr data list --check against the shared dir: every file found and verified', async () => {
  const r = await run(['data', 'list', '--data-dir', SHARED, '--check']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^amc\/test +83 +30\.9 KiB +option: .*AMC-TTT\/test\.json {2}\(verified\)$/m);
  assert.match(r.out, /^verifier-dev .*option: .*verifier\/dev\.jsonl$/m);
  assert.match(r.out, /36 files, 36 found, 0 missing, 0 failed verification/);
  const empty = mkdtempSync(join(tmpdir(), 'rlvr-cli-'));
  try {
    const none = await run(['data', 'list', '--data-dir', empty]);
    assert.match(none.out, /^amc\/test .*missing \(rlvr data pull\)$/m);
    assert.match(none.out, /^verifier-dev .*missing \(not downloadable/m);
    assert.match(none.out, /36 files, 0 found, 36 missing/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('rlvr data pull --only ... --source-base: downloads from a local server, exit 0; failures exit 1', async () => {
  const server = createServer((req, res) => {
    const m = /^\/base\/code\/data\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    const p = m ? join(SHARED, 'rethink_rlvr', m[1], m[2]) : '';
    if (!m || !existsSync(p)) return void res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(p));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
  const dest = mkdtempSync(join(tmpdir(), 'rlvr-cli-pull-'));
  try {
    const r = await run(['data', 'pull', '--dest', dest, '--only', 'amc,aime2025', '--source-base', base]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /4 downloaded, 0 already present and verified, 0 failed/);
    assert.deepEqual(readFileSync(join(dest, 'rethink_rlvr/AMC-TTT/test.json')), readFileSync(join(SHARED, 'rethink_rlvr/AMC-TTT/test.json')));
    const again = await run(['data', 'pull', '--dest', dest, 'amc', '--source-base', base]);
    assert.match(again.out, /0 downloaded, 2 already present and verified/);
    const bad = await run(['data', 'pull', '--dest', dest, '--only', 'math500/test', '--source-base', `${base}/nothing-here`]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /math500\/test: .*HTTP 404/);
  } finally {
    await new Promise((r) => server.close(r));
    rmSync(dest, { recursive: true, force: true });
  }
});

test('rlvr data usage errors exit 2 with the usage text', async () => {
  const unknownName = await run(['data', 'pull', '--only', 'amcc', '--dest', '/nonexistent']);
  assert.equal(unknownName.code, 2);
  assert.match(unknownName.err, /unknown dataset "amcc" \(did you mean "amc"\?\)/);
  assert.match(unknownName.err, /usage: rlvr data/);
  const sub = await run(['data', 'fetch']);
  assert.equal(sub.code, 2);
  assert.match(sub.err, /unknown sub-command "fetch"/);
  const help = await run(['data', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /RLVR_DATA_DIR/);
});
