// The client's parts on their own: Retry-After parsing, back-off bounds, the concurrency limiter, and the
// on-disk cache (canonical keys, atomic entries, a foreign file read as a miss).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, canonicalJson, createLimiter, isRetryableStatus, openCompletionCache, parseRetryAfter } from '../../lib/sampling';
import { createRng } from '../../lib/util';

test('Retry-After: delta-seconds, HTTP dates, and unreadable values', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0.25 ', now), 250);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:07 GMT', now), 7000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now), 0); // in the past: retry now
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter(null, now), null);
});

test('back-off: equal jitter within [exp/2, exp], capped; Retry-After replaces it, capped separately', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 100, maxMs: 1000, maxRetryAfterMs: 5000 };
  const rng = createRng(1);
  for (let a = 0; a < 8; a++) {
    const exp = Math.min(1000, 100 * 2 ** a);
    const d = backoffDelayMs(a, policy, rng, null);
    assert.ok(d >= exp / 2 && d <= exp, `attempt ${a}: ${d}`);
  }
  assert.equal(backoffDelayMs(0, policy, rng, 2500), 2500);
  assert.equal(backoffDelayMs(0, policy, rng, 60_000), 5000);
  assert.deepEqual([429, 500, 503, 599, 400, 404, 413].map(isRetryableStatus), [true, true, true, true, false, false, false]);
});

test('limiter: never more than the limit running, all tasks run, in arrival order', async () => {
  const lim = createLimiter(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (i: number) => lim.run(async () => {
    started.push(i);
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    return i;
  });
  const first = Array.from({ length: 5 }, (_, i) => task(i));
  // A task arriving while a slot is being handed over must still wait.
  const late = first[0].then(() => task(99));
  assert.deepEqual(await Promise.all(first), [0, 1, 2, 3, 4]);
  assert.equal(await late, 99);
  assert.equal(peak, 2);
  assert.deepEqual(started.slice(0, 5), [0, 1, 2, 3, 4]);
  assert.deepEqual([lim.active, lim.waiting], [0, 0]);
  assert.throws(() => createLimiter(0), /limit must be a positive integer/);
});

test('cache: key order does not matter; entries survive reopening; a foreign file is a miss', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-cache-parts-'));
  try {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), '{"a":[{"c":null,"d":2}],"b":1}');
    const c = openCompletionCache(dir);
    c.set({ model: 'm', prompt: 'p', sample: 0 }, { text: 'hello' });
    assert.deepEqual(openCompletionCache(dir).get({ sample: 0, prompt: 'p', model: 'm' }), { text: 'hello' });
    assert.equal(c.get({ model: 'm', prompt: 'p', sample: 1 }), undefined);
    const sub = readdirSync(dir)[0];
    const file = join(dir, sub, readdirSync(join(dir, sub))[0]);
    assert.deepEqual(readdirSync(join(dir, sub)).filter((f) => f.endsWith('.tmp')), []);
    writeFileSync(file, '{"key": "something else", "value": 1}');
    assert.equal(c.get({ model: 'm', prompt: 'p', sample: 0 }), undefined);
    writeFileSync(file, 'not json');
    assert.equal(c.get({ model: 'm', prompt: 'p', sample: 0 }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
