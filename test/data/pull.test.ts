// `pull` against local HTTP servers on 127.0.0.1 that serve the shared files (good, corrupted, flaky).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MANIFEST_ROWS, findProjectRoot, pullDatasets, pullManifest, selectManifest } from '../../lib/data';

const SHARED = join(findProjectRoot() ?? process.cwd(), '..', 'shared', 'data', 'rethink_rlvr');

type Mode = 'good' | 'corrupt' | 'flaky' | 'missing' | 'drop';

/**
 * Serves /code/data/<Folder>/<file> from the shared copies. `flaky` answers 500 to the first request for each path;
 * `drop` sends half of the body to the first request and then cuts the connection.
 */
async function serve(mode: Mode): Promise<{ base: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const seen = new Set<string>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const m = /^\/code\/data\/([^/]+)\/([^/]+)$/.exec(url);
    const path = m ? join(SHARED, decodeURIComponent(m[1]), decodeURIComponent(m[2])) : '';
    if (mode === 'missing' || !m || !existsSync(path)) {
      res.writeHead(404).end('not found');
      return;
    }
    if (mode === 'flaky' && !seen.has(url)) {
      seen.add(url);
      res.writeHead(500).end('try again');
      return;
    }
    const body = readFileSync(path);
    if (mode === 'drop' && !seen.has(url)) {
      seen.add(url);
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1), () => res.destroy());
      return;
    }
    if (mode === 'corrupt') body[Math.floor(body.length / 2)] ^= 0x20;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rlvr-pull-'));
}

/** Every file under dir, relative, including dot-files (temp leftovers would show here). */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name).slice(dir.length + 1))
    .sort();
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

test('full pull from a good server: every file lands verified in the shared layout; a second pull skips all', async () => {
  const srv = await serve('good');
  const dest = tempDir();
  try {
    const results = await pullDatasets({ dest, sourceBase: srv.base, retryDelayMs: 1 });
    assert.equal(results.length, MANIFEST_ROWS.length);
    assert.deepEqual(results.filter((r) => r.status !== 'downloaded'), []);
    for (const e of pullManifest()) {
      const p = join(dest, e.dest);
      assert.equal(sha(p), e.sha256, e.name);
      assert.deepEqual(readFileSync(p), readFileSync(join(SHARED, e.folder, e.file)), e.name);
    }
    assert.deepEqual(tree(dest), pullManifest().map((e) => e.dest).sort(), 'no temp files left');
    const again = await pullDatasets({ dest, sourceBase: srv.base });
    assert.ok(again.every((r) => r.status === 'skipped' && r.attempts === 0));
    assert.equal(srv.requests.length, MANIFEST_ROWS.length, 'the second pull made no requests');
  } finally {
    await srv.close();
    rmSync(dest, { recursive: true, force: true });
  }
});

test('a corrupted download is an error naming file, expected and actual hash, and leaves nothing behind', async () => {
  const srv = await serve('corrupt');
  const dest = tempDir();
  try {
    const [r] = await pullDatasets({ dest, only: ['amc/test'], sourceBase: srv.base, retryDelayMs: 1 });
    const entry = pullManifest().find((e) => e.name === 'amc/test')!;
    const served = readFileSync(join(SHARED, 'AMC-TTT', 'test.json'));
    served[Math.floor(served.length / 2)] ^= 0x20;
    const actual = createHash('sha256').update(served).digest('hex');
    assert.equal(r.status, 'failed');
    assert.ok(r.message?.includes('rethink_rlvr/AMC-TTT/test.json'), r.message);
    assert.ok(r.message?.includes(entry.sha256), 'names the expected hash');
    assert.ok(r.message?.includes(actual), 'names the actual hash');
    assert.equal(r.attempts, 1, 'a checksum mismatch is not retried');
    assert.deepEqual(tree(dest), [], 'no file, no temp file');
  } finally {
    await srv.close();
    rmSync(dest, { recursive: true, force: true });
  }
});

test('a 500 is retried and then succeeds; a 404 fails at once; retries are bounded', async () => {
  const flaky = await serve('flaky');
  const missing = await serve('missing');
  const dest = tempDir();
  try {
    const retried: number[] = [];
    const ok = await pullDatasets({ dest, only: ['aime2024'], sourceBase: flaky.base, retryDelayMs: 1, onRetry: (_e, attempt) => retried.push(attempt) });
    assert.deepEqual(ok.map((r) => [r.name, r.status, r.attempts]), [['aime2024/test', 'downloaded', 2], ['aime2024/train', 'downloaded', 2]]);
    assert.deepEqual(retried, [1, 1]);
    assert.equal(sha(join(dest, 'rethink_rlvr/AIME-TTT/test.json')), pullManifest().find((e) => e.name === 'aime2024/test')!.sha256);

    const [gone] = await pullDatasets({ dest, only: ['amc/test'], sourceBase: missing.base, retryDelayMs: 1 });
    assert.equal(gone.status, 'failed');
    assert.equal(gone.attempts, 1);
    assert.match(gone.message ?? '', /HTTP 404/);

    // A server that always fails: retries + 1 attempts, then a failure that says so.
    const always = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => always.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(always.address() as AddressInfo).port}`;
    const [down] = await pullDatasets({ dest, only: ['amc/test'], sourceBase: base, retries: 2, retryDelayMs: 1 });
    await new Promise((r) => always.close(r));
    assert.equal(down.status, 'failed');
    assert.equal(down.attempts, 3);
    assert.match(down.message ?? '', /HTTP 503.*gave up after 3 attempts/);
    assert.equal(existsSync(join(dest, 'rethink_rlvr/AMC-TTT/test.json')), false);
  } finally {
    await flaky.close();
    await missing.close();
    rmSync(dest, { recursive: true, force: true });
  }
});

test('a connection cut mid-body is retried; no partial file is left', async () => {
  const srv = await serve('drop');
  const dest = tempDir();
  try {
    const [r] = await pullDatasets({ dest, only: ['amc/test'], sourceBase: srv.base, retryDelayMs: 1 });
    assert.equal(r.status, 'downloaded');
    assert.equal(r.attempts, 2);
    assert.deepEqual(tree(dest), ['rethink_rlvr/AMC-TTT/test.json']);
    assert.equal(sha(join(dest, 'rethink_rlvr/AMC-TTT/test.json')), pullManifest().find((e) => e.name === 'amc/test')!.sha256);
  } finally {
    await srv.close();
    rmSync(dest, { recursive: true, force: true });
  }
});

test('an existing file that does not verify is downloaded again and replaced', async () => {
  const srv = await serve('good');
  const dest = tempDir();
  try {
    await pullDatasets({ dest, only: ['amc/test'], sourceBase: srv.base });
    const p = join(dest, 'rethink_rlvr/AMC-TTT/test.json');
    writeFileSync(p, '[]');
    const [r] = await pullDatasets({ dest, only: ['amc/test'], sourceBase: srv.base });
    assert.equal(r.status, 'downloaded');
    assert.match(r.message ?? '', /replaced an existing file/);
    assert.equal(sha(p), pullManifest().find((e) => e.name === 'amc/test')!.sha256);
  } finally {
    await srv.close();
    rmSync(dest, { recursive: true, force: true });
  }
});

test('selection by dataset, entry or folder; unknown names suggest the closest', () => {
  assert.deepEqual(selectManifest(['amc']).map((e) => e.name), ['amc/test', 'amc/train']);
  assert.deepEqual(selectManifest(['MATH-TTT', 'deepscaler-level2/test']).map((e) => e.name), ['deepscaler-level2/test', 'math500/test', 'math500/train']);
  assert.equal(selectManifest([]).length, MANIFEST_ROWS.length);
  assert.throws(() => selectManifest(['math5000']), /unknown dataset "math5000" \(did you mean "math500"\?\)/);
  const e = pullManifest('http://x/y/').find((m) => m.name === 'mv-qwen2.5_7b-incorrect/test')!;
  assert.equal(e.url, 'http://x/y/code/data/DeepScaleR_mv_labeled_qwen2.5_7b_incorrect/test.json');
  assert.equal(e.dest, 'rethink_rlvr/DeepScaleR_mv_labeled_qwen2.5_7b_incorrect/test.json');
});
