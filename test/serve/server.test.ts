// `rlvr serve-model`'s server with plain fetch: response shapes, and bad requests answered with 4xx and
// a message naming the field, after which the server keeps serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createModelServer, loadServedModel, type ModelServer, type ServedModel } from '../../lib/serve';
import { generateText } from '../../lib/sampling';
import { makeTinyOrganism, type TinyOrganism } from './tiny-model';

let org: TinyOrganism;
let served: ServedModel;
let server: ModelServer;
let url: string;

before(async () => {
  org = await makeTinyOrganism();
  served = loadServedModel(org.folder, { id: 'tiny' }); // no chat template
  server = createModelServer(served, { maxBodyBytes: 2048 });
  url = (await server.listen(0)).url;
});
after(async () => {
  await server.close();
  org.cleanup();
});

async function post(path: string, body: unknown, raw = false): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

test('GET /health and /v1/models', async () => {
  const h = await fetch(url.replace(/\/v1$/, '/health'));
  assert.equal(h.status, 200);
  assert.deepEqual(await h.json(), { status: 'ok', model: 'tiny' });
  const m = (await (await fetch(`${url}/models`)).json()) as { object: string; data: { id: string; object: string }[] };
  assert.equal(m.object, 'list');
  assert.deepEqual(m.data.map((d) => [d.id, d.object]), [['tiny', 'model']]);
});

test('completions: n samples per prompt, a list of prompts, usage and finish reasons', async () => {
  const { status, json } = await post('/completions', { model: 'tiny', prompt: ['ab', 'xyz'], n: 2, temperature: 0.8, seed: 4, max_tokens: 5 });
  assert.equal(status, 200);
  assert.equal(json.object, 'text_completion');
  assert.deepEqual(json.choices.map((c: { index: number }) => c.index), [0, 1, 2, 3]);
  // Choice p*n + j is sample j of prompt p: stream j of seed 4.
  const want = (await generateText(org.model, org.tokenizer, ['ab', 'ab', 'xyz', 'xyz'], { maxNewTokens: 5, temperature: 0.8, seed: 4, streams: [0, 1, 0, 1] })).sequences;
  assert.deepEqual(json.choices.map((c: { text: string }) => c.text), want.map((g) => g.text));
  const finish = want.map((g) => (g.finishReason === 'length' ? 'length' : 'stop'));
  assert.deepEqual(json.choices.map((c: { finish_reason: string }) => c.finish_reason), finish);
  const completionTokens = want.reduce((a, g) => a + g.tokens.length, 0);
  assert.deepEqual(json.usage, { prompt_tokens: 5, completion_tokens: completionTokens, total_tokens: 5 + completionTokens });
});

test('bad requests get 4xx with a message naming the problem, and the server keeps serving', async () => {
  const cases: [string, unknown, number, RegExp, boolean?][] = [
    ['/completions', '{"prompt": "ab",', 400, /not valid JSON/, true],
    ['/completions', [1, 2], 400, /must be a JSON object/],
    ['/completions', { max_tokens: 3 }, 400, /missing field "prompt"/],
    ['/completions', { prompt: 7 }, 400, /"prompt" must be a string or a non-empty array of strings/],
    ['/completions', { prompt: [1, 2, 3] }, 400, /token-id prompts are not supported/],
    ['/completions', { prompt: 'ab', temperature: 'hot' }, 400, /"temperature" must be a finite number >= 0.*received "hot"/],
    ['/completions', { prompt: 'ab', n: 0 }, 400, /"n" must be an integer in \[1, 64\]/],
    ['/completions', { prompt: 'ab', max_tokens: 2.5 }, 400, /"max_tokens" must be an integer/],
    ['/completions', { prompt: 'ab', top_p: 0 }, 400, /"top_p" must be a number in \(0, 1\]/],
    ['/completions', { prompt: 'ab', stop: [''] }, 400, /"stop\[0\]" must be a non-empty string/],
    ['/completions', { prompt: 'ab', seed: 'x' }, 400, /"seed" must be an integer/],
    ['/completions', { prompt: 'ab', stream: true }, 400, /"stream": true is not supported/],
    ['/completions', { prompt: 'ab', model: 'gpt-4' }, 404, /the model "gpt-4" does not exist; this server serves "tiny"/],
    ['/completions', { prompt: 'AB' }, 400, /cannot be tokenized.*"A"/],
    ['/completions', { prompt: '' }, 400, /encodes to no tokens/],
    ['/completions', { prompt: 'ab', max_tokens: 200 }, 400, /does not fit/],
    ['/completions', { prompt: 'a'.repeat(3000) }, 413, /request body is \d+ bytes; this server accepts at most 2048/],
    ['/chat/completions', { max_tokens: 3 }, 400, /missing field "messages"/],
    ['/chat/completions', { messages: [{ role: 'robot', content: 'hi' }] }, 400, /"messages\[0\]\.role" must be one of system, user, assistant/],
    ['/chat/completions', { messages: [{ role: 'user', content: 5 }] }, 400, /"messages\[0\]\.content" must be a string/],
    ['/chat/completions', { messages: [{ role: 'user', content: 'hi' }] }, 400, /has no chat template; use \/v1\/completions/],
    ['/nowhere', {}, 404, /no route POST \/v1\/nowhere/],
  ];
  const errorsBefore = server.stats().errors;
  for (const [path, body, status, message, raw] of cases) {
    const r = await post(path, body, raw);
    assert.equal(r.status, status, `${path} ${JSON.stringify(body).slice(0, 60)}: ${JSON.stringify(r.json)}`);
    assert.match(r.json.error.message, message);
    assert.equal(r.json.error.code, status);
  }
  const get = await fetch(`${url}/completions`);
  assert.equal(get.status, 405);
  assert.match(((await get.json()) as { error: { message: string } }).error.message, /takes POST, received GET/);
  assert.equal(server.stats().errors - errorsBefore, cases.length + 1);
  // Still serving.
  const ok = await post('/completions', { prompt: 'ab', max_tokens: 3, temperature: 0 });
  assert.equal(ok.status, 200);
  assert.equal(typeof ok.json.choices[0].text, 'string');
  assert.equal(server.stats().inFlight, 0);
});

test('an API key is required when configured (except /health)', async () => {
  const s = createModelServer(served, { apiKey: 'sekrit' });
  const { url: u } = await s.listen(0);
  try {
    const no = await fetch(`${u}/models`);
    assert.equal(no.status, 401);
    assert.match(((await no.json()) as { error: { message: string } }).error.message, /API key/);
    const yes = await fetch(`${u}/models`, { headers: { authorization: 'Bearer sekrit' } });
    assert.equal(yes.status, 200);
    assert.equal((await fetch(u.replace(/\/v1$/, '/health'))).status, 200);
  } finally {
    await s.close();
  }
});
