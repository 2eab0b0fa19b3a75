// The OpenAI-compatible client against `rlvr serve-model`'s server on 127.0.0.1 (random port) serving a
// tiny seeded organism: real HTTP and real concurrency, with faults injected server-side (429, 5xx, hangs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EndpointHttpError, EndpointNetworkError, EndpointTimeoutError, createOpenAiClient, generateText, type OpenAiClientOptions,
} from '../../lib/sampling';
import { createModelServer, loadServedModel, type HookAnswer, type ModelServer, type RequestInfo, type ServedModel } from '../../lib/serve';
import { makeTinyOrganism, type TinyOrganism } from '../serve/tiny-model';

let org: TinyOrganism;
let served: ServedModel;
const CHAT = '{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant: ';

before(async () => {
  org = await makeTinyOrganism();
  served = loadServedModel(org.folder, { id: 'tiny', chatTemplate: CHAT });
});
after(() => org.cleanup());

/** Starts a server with a hook, runs f against its URL, and always closes it. */
async function withServer(hook: ((info: RequestInfo) => HookAnswer | undefined | Promise<HookAnswer | undefined>) | undefined, f: (url: string, s: ModelServer) => Promise<void>): Promise<void> {
  const s = createModelServer(served, { beforeRequest: hook });
  const { url } = await s.listen(0, '127.0.0.1');
  try {
    await f(url, s);
  } finally {
    await s.close();
  }
}

const client = (url: string, o: Partial<OpenAiClientOptions> = {}) => createOpenAiClient({ endpoint: url, model: 'tiny', ...o });
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('served samples equal in-process generateText with the same seed (sample j uses seed + j); greedy and stop strings too', async () => {
  await withServer(undefined, async (url) => {
    const c = client(url);
    const got = await c.complete('what is 2+3? ', { n: 3, temperature: 1, seed: 7, maxTokens: 12 });
    assert.deepEqual(got.map((s) => s.sampleIndex), [0, 1, 2]);
    for (const s of got) {
      const want = (await generateText(org.model, org.tokenizer, ['what is 2+3? '], { maxNewTokens: 12, temperature: 1, seed: 7 + s.sampleIndex, streams: [0] })).sequences[0];
      assert.equal(s.text, want.text);
      assert.equal(s.cached, false);
      assert.equal(s.promptTokens, 13);
    }
    assert.ok(new Set(got.map((s) => s.text)).size > 1, 'different seeds should give different samples');

    const greedy = (await generateText(org.model, org.tokenizer, ['abc'], { maxNewTokens: 20, temperature: 0 })).sequences[0];
    const [g] = await c.complete('abc', { temperature: 0, maxTokens: 20 });
    assert.equal(g.text, greedy.text);
    // A stop string taken from the greedy text: the served text is cut at its first occurrence.
    const full = greedy.text as string;
    const stop = full.slice(6, 8);
    const at = full.indexOf(stop);
    const [cut] = await c.complete('abc', { temperature: 0, maxTokens: 20, stop: [stop] });
    assert.equal(cut.text, full.slice(0, at));
    assert.equal(cut.finishReason, 'stop');
    const [kept] = await c.complete('abc', { temperature: 0, maxTokens: 20, stop: [stop], includeStopString: true });
    assert.equal(kept.text, full.slice(0, at + stop.length));
    assert.deepEqual(await c.listModels(), ['tiny']);
  });
});

test('chat: the server renders the messages with its chat template', async () => {
  await withServer(undefined, async (url) => {
    const [s] = await client(url).chat([{ role: 'user', content: 'hi' }], { temperature: 0, maxTokens: 10 });
    const want = (await generateText(org.model, org.tokenizer, ['user: hi\nassistant: '], { maxNewTokens: 10, temperature: 0 })).sequences[0];
    assert.equal(s.text, want.text);
  });
});

test('concurrency: at most `concurrency` requests in flight at the server', async () => {
  let inHook = 0;
  let maxInHook = 0;
  await withServer(async (info) => {
    if (info.path !== '/v1/completions') return undefined;
    inHook++;
    maxInHook = Math.max(maxInHook, inHook);
    await delay(60); // hold the request so that the client's other requests pile up
    inHook--;
    return undefined;
  }, async (url, s) => {
    const c = client(url, { concurrency: 3 });
    const prompts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const res = await Promise.all(prompts.map((p) => c.complete(p, { n: 2, temperature: 1, seed: 1, maxTokens: 4 })));
    assert.equal(res.flat().length, 14);
    assert.equal(s.stats().requests, 14);
    assert.equal(maxInHook, 3, 'the limiter should fill but never exceed 3 slots');
    assert.ok(s.stats().maxInFlight <= 3, `server saw ${s.stats().maxInFlight} requests in flight`);
    assert.equal(c.stats().requests, 14);
  });
});

test('429 with Retry-After: retried after the server-given delay, then succeeds', async () => {
  let posts = 0;
  await withServer((info) => {
    if (info.path === '/v1/completions' && ++posts === 1) return { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down' } } };
    return undefined;
  }, async (url, s) => {
    const delays: number[] = [];
    const events: string[] = [];
    const c = client(url, { sleep: async (ms) => void delays.push(ms), onEvent: (e) => events.push(e.type === 'retry' ? e.reason : e.type) });
    const [r] = await c.complete('ab', { temperature: 0, maxTokens: 5 });
    assert.equal(typeof r.text, 'string');
    assert.deepEqual(delays, [2000]);
    assert.deepEqual(events, ['HTTP 429']);
    assert.equal(c.stats().retries, 1);
    assert.equal(s.stats().requests, 2);
  });
});

test('Retry-After is really waited for (real clock)', async () => {
  let posts = 0;
  await withServer((info) => (info.path === '/v1/completions' && ++posts === 1 ? { status: 503, headers: { 'retry-after': '0.3' } } : undefined), async (url) => {
    const t0 = Date.now();
    await client(url).complete('ab', { temperature: 0, maxTokens: 3 });
    assert.ok(Date.now() - t0 >= 290, `took ${Date.now() - t0} ms`);
  });
});

test('5xx without Retry-After: exponential back-off with seeded jitter; gives up with a typed error naming endpoint and status', async () => {
  await withServer((info) => (info.path === '/v1/completions' ? { status: 500, body: { error: { message: 'boom' } } } : undefined), async (url, s) => {
    const run = async (seed: number) => {
      const delays: number[] = [];
      const c = client(url, { seed, retry: { maxRetries: 3, baseMs: 100 }, sleep: async (ms) => void delays.push(ms) });
      const err = await c.complete('ab', { temperature: 0, maxTokens: 3 }).then(() => null, (e: unknown) => e);
      return { err, delays };
    };
    const a = await run(5);
    assert.ok(a.err instanceof EndpointHttpError);
    assert.equal(a.err.status, 500);
    assert.equal(a.err.attempts, 4);
    assert.equal(a.err.endpoint, `${url}/completions`);
    assert.match(a.err.message, /HTTP 500: boom \(after 4 attempts\)/);
    assert.ok(a.err.message.includes(url));
    // Equal jitter: attempt k waits in [base*2^k/2, base*2^k].
    a.delays.forEach((d, k) => assert.ok(d >= 50 * 2 ** k && d <= 100 * 2 ** k, `delay ${k} = ${d}`));
    assert.deepEqual((await run(5)).delays, a.delays, 'same seed, same jitter');
    assert.notDeepEqual((await run(6)).delays, a.delays, 'another seed, other jitter');
    assert.equal(s.stats().requests, 12);
  });
});

test('4xx other than 429 is not retried', async () => {
  await withServer(undefined, async (url, s) => {
    const c = client(url, { model: 'not-served' });
    const err = await c.complete('ab', { maxTokens: 3, temperature: 0 }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof EndpointHttpError);
    assert.equal(err.status, 404);
    assert.match(err.message, /model "not-served" does not exist/);
    assert.equal(err.attempts, 1);
    assert.equal(s.stats().requests, 1);
  });
});

test('a server that never answers: typed timeout error after the retries', async () => {
  await withServer((info) => (info.path === '/v1/completions' ? { hang: true } : undefined), async (url, s) => {
    const c = client(url, { timeoutMs: 150, retry: { maxRetries: 1 }, sleep: async () => undefined });
    const t0 = Date.now();
    const err = await c.complete('ab', { maxTokens: 3, temperature: 0 }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof EndpointTimeoutError, String(err));
    assert.equal(err.timeoutMs, 150);
    assert.equal(err.attempts, 2);
    assert.match(err.message, /no answer within 150 ms \(2 attempts\)/);
    assert.ok(err.message.startsWith(`${url}/completions`));
    assert.ok(Date.now() - t0 >= 290);
    assert.equal(s.stats().requests, 2);
  });
});

test('connection refused: typed network error', async () => {
  const port = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  const c = createOpenAiClient({ endpoint: `http://127.0.0.1:${port}/v1`, model: 'tiny', retry: { maxRetries: 1 }, sleep: async () => undefined });
  const err = await c.complete('ab', { maxTokens: 3 }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof EndpointNetworkError, String(err));
  assert.match(err.message, /ECONNREFUSED/);
  assert.equal(err.attempts, 2);
});

test('cache: a second run with the same cache folder makes no HTTP request; an interrupted run resumes sample by sample', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-cache-'));
  try {
    let failB = true;
    await withServer((info) => {
      const b = info.body as { prompt?: string; seed?: number } | undefined;
      if (failB && b?.prompt === 'bb' && b.seed === 11) return { status: 500 };
      return undefined;
    }, async (url, s) => {
      const params = { n: 2, temperature: 1, seed: 10, maxTokens: 6 };
      const first = client(url, { cacheDir: dir, retry: { maxRetries: 0 } });
      const settled = await Promise.allSettled([first.complete('aa', params), first.complete('bb', params)]);
      assert.equal(settled[0].status, 'fulfilled');
      assert.equal(settled[1].status, 'rejected'); // sample 1 of "bb" failed, sample 0 was cached
      assert.equal(s.stats().requests, 4);
      failB = false;
      const second = client(url, { cacheDir: dir });
      const [a2, b2] = [await second.complete('aa', params), await second.complete('bb', params)];
      assert.equal(s.stats().requests, 5, 'only the failed sample is requested again');
      assert.deepEqual(a2.map((x) => x.cached), [true, true]);
      assert.deepEqual(b2.map((x) => x.cached), [true, false]);
      assert.deepEqual(a2.map((x) => x.text), (settled[0] as PromiseFulfilledResult<typeof a2>).value.map((x) => x.text));

      const third = client(url, { cacheDir: dir });
      const [a3, b3] = [await third.complete('aa', params), await third.complete('bb', params)];
      assert.equal(s.stats().requests, 5, 'a full cache makes no request');
      assert.deepEqual(third.stats(), { requests: 0, retries: 0, cacheHits: 4, cacheMisses: 0 });
      assert.deepEqual([...a3, ...b3].map((x) => x.text), [...a2, ...b2].map((x) => x.text));
      // Any parameter in the key (here the seed) makes it a different sample.
      await third.complete('aa', { ...params, seed: 99 });
      assert.equal(s.stats().requests, 7);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad parameters are refused before any request', async () => {
  const c = createOpenAiClient({ endpoint: 'http://127.0.0.1:1/v1', model: 'x' });
  await assert.rejects(c.complete('a', { maxTokens: 0 }), /maxTokens must be a positive integer/);
  await assert.rejects(c.complete('a', { maxTokens: 3, topP: 0 }), /topP must be in \(0, 1\]/);
  assert.equal(c.stats().requests, 0);
  assert.throws(() => createOpenAiClient({ endpoint: 'localhost:8000', model: 'x' }), /endpoint must be an http\(s\) URL/);
});
