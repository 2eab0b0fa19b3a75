import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { createRewardService, inlineScorer, type Scorer } from '../../lib/reward-service';
import { makeReward } from '../../lib/rewards';
import { createRng } from '../../lib/util';
import { send, withService } from './http';

// OpenRLHF's request exactly: queries decoded with special tokens kept, templated prompts, labels.
const PROMPT = (q: string) => `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;
const RESPONSES = [
  'We add: 2 + 2 = 4. So the answer is \\boxed{4}.<|im_end|>',
  'Let me write Python code:\n```python\nprint(2+2)\n```\nOutput 4, so \\boxed{4}<|im_end|>',
  'I think it is \\boxed{5}<|im_end|>',
  'The answer is \\frac{1}{2}, i.e. \\boxed{0.5}<|im_end|>',
];
const OPENRLHF_BODY = {
  query: [PROMPT('2+2?') + RESPONSES[0], PROMPT('2+2?') + RESPONSES[1], PROMPT('2+2?') + RESPONSES[2], PROMPT('half of 1?') + RESPONSES[3]],
  prompts: [PROMPT('2+2?'), PROMPT('2+2?'), PROMPT('2+2?'), PROMPT('half of 1?')],
  labels: ['4', '4', '4', '\\frac{1}{2}'],
};

async function checkOpenRlhfAnswer(port: number, reward: string): Promise<void> {
  const r = await send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY));
  assert.equal(r.status, 200, r.body);
  assert.match(String(r.headers['content-type']), /application\/json/);
  const parsed = JSON.parse(r.body) as { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> };
  assert.deepEqual(Object.keys(parsed).sort(), ['extra_logs', 'rewards', 'scores']);
  // Every number is written as a float literal (1.0, not 1).
  assert.doesNotMatch(r.body, /[[,]-?\d+[,\]]/);
  const fn = makeReward(reward);
  const g1 = fn({ prompt: OPENRLHF_BODY.prompts[0], label: '4', completions: RESPONSES.slice(0, 3), rng: createRng(0) });
  const g2 = fn({ prompt: OPENRLHF_BODY.prompts[3], label: '\\frac{1}{2}', completions: [RESPONSES[3]], rng: createRng(0) });
  assert.deepEqual(parsed.rewards, [...g1, ...g2]);
  assert.deepEqual(parsed.scores, parsed.rewards);
  assert.deepEqual(parsed.extra_logs.mentions_python, [0, 1, 0, 0]);
  assert.deepEqual(parsed.extra_logs.group_size, [3, 3, 3, 1]);
}

test('POST /get_reward: OpenRLHF request shape in, {rewards, scores, extra_logs} with makeReward\'s values out', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    await checkOpenRlhfAnswer(port, 'math');
    const r = await send(port, 'POST', '/get_reward', JSON.stringify({ ...OPENRLHF_BODY, reward: 'contain_python_wo_backticks' }));
    assert.deepEqual(JSON.parse(r.body).rewards, [0, 1, 0, 0]);
    const empty = await send(port, 'POST', '/get_reward', JSON.stringify({ query: [], prompts: [], labels: [] }));
    assert.equal(empty.status, 200);
    assert.deepEqual(JSON.parse(empty.body).rewards, []);
    const health = await send(port, 'GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).status, 'ok');
    assert.equal(JSON.parse(health.body).completions, 4 + 4);
  });
});

test('a pool of 2 scoring threads answers exactly as the inline scorer', async () => {
  await withService({ reward: 'math', workers: 2 }, {}, async (port, svc) => {
    assert.equal(svc.scorer.threads, 2);
    await checkOpenRlhfAnswer(port, 'math');
    const many = { completions: Array.from({ length: 100 }, (_, i) => `step ${i}: \\boxed{${i % 3}}`), labels: Array.from({ length: 100 }, () => '1'), prompts: Array.from({ length: 100 }, (_, i) => `p${i % 10}`), reward: 'random0.5', seed: 3 };
    const pooled = JSON.parse((await send(port, 'POST', '/score', JSON.stringify(many))).body);
    const inline = await inlineScorer().score({ reward: 'random0.5', mode: 'strict', seed: 3, items: many.completions.map((completion, i) => ({ completion, prompt: many.prompts[i], label: '1' })) });
    assert.deepEqual(pooled.rewards, inline.rewards);
    assert.deepEqual(pooled.extra_logs.has_boxed, inline.extraLogs.has_boxed);
  });
});

test('bad requests get 4xx with a message, and the server keeps serving after each', async () => {
  await withService({ reward: 'math', maxBodyBytes: 4096 }, {}, async (port) => {
    const bad: [string, string, string | undefined, number, RegExp][] = [
      ['POST', '/get_reward', '{"query": [', 400, /not valid JSON/],
      ['POST', '/get_reward', '"just a string"', 400, /must be a JSON object/],
      ['POST', '/get_reward', JSON.stringify({ query: [1], prompts: [''], labels: [null] }), 400, /query\[0\]: expected a string/],
      ['POST', '/get_reward', JSON.stringify({ query: ['a'], prompts: ['a'] }), 400, /labels: missing/],
      ['POST', '/get_reward', JSON.stringify({ query: ['x'], prompts: ['y'], labels: ['1'] }), 422, /not a prefix/],
      ['POST', '/get_reward', JSON.stringify({ ...OPENRLHF_BODY, reward: 'mathh' }), 400, /reward "mathh" is not registered \(did you mean "math"\?\)/],
      ['POST', '/get_reward', JSON.stringify({ ...OPENRLHF_BODY, reward: 'dense' }), 400, /cannot be built/],
      ['POST', '/score', JSON.stringify({ completions: ['a', 'b'], labels: ['1', '2'], groups: [1, 1] }), 400, /one group has one label/],
      ['POST', '/get_reward', JSON.stringify({ query: ['x'.repeat(5000)], prompts: [''], labels: [''] }), 413, /limit is 4096/],
      ['GET', '/get_reward', undefined, 405, /not allowed/],
      ['POST', '/nowhere', '{}', 404, /no route/],
    ];
    for (const [method, path, body, status, message] of bad) {
      const r = await send(port, method, path, body);
      assert.equal(r.status, status, `${method} ${path} ${body?.slice(0, 60)} -> ${r.body}`);
      assert.match(JSON.parse(r.body).error, message);
      const ok = await send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY));
      assert.equal(ok.status, 200, `after ${method} ${path}`);
    }
    // A body that only declares an oversize length is refused too (drained, not stored).
    const big = 'x'.repeat(20_000);
    const r = await send(port, 'POST', '/score', JSON.stringify({ completions: [big] }));
    assert.equal(r.status, 413);
    assert.equal((await send(port, 'GET', '/health')).status, 200);
  });
});

test('a scoring failure is a 500 with a message, and the next request is served', async () => {
  const inner = inlineScorer();
  const flaky: Scorer = {
    threads: 0,
    score: async (job) => {
      if (job.items.some((i) => i.completion.includes('FAIL'))) throw new Error('scorer exploded');
      return inner.score(job);
    },
    close: async () => {},
  };
  const lines: string[] = [];
  await withService({ reward: 'math' }, { scorer: flaky, log: (l) => lines.push(l) }, async (port, svc) => {
    const r = await send(port, 'POST', '/score', JSON.stringify({ completions: ['FAIL'], labels: ['1'] }));
    assert.equal(r.status, 500);
    assert.match(JSON.parse(r.body).error, /scorer exploded/);
    assert.equal((await send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY))).status, 200);
    assert.equal(svc.stats().serverErrors, 1);
  });
  assert.ok(lines.some((l) => /500 on POST \/score: scorer exploded/.test(l)), lines.join('\n'));
});

test('graceful close: stops accepting, lets the in-flight request finish, then closes', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let started!: () => void;
  const inFlight = new Promise<void>((r) => { started = r; });
  const inner = inlineScorer();
  const slow: Scorer = { threads: 0, score: async (job) => { started(); await gate; return inner.score(job); }, close: async () => {} };
  const svc = await createRewardService({ reward: 'math' }, { scorer: slow });
  const { port } = await svc.listen(0);
  const pending = send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY));
  await inFlight;
  let closedAt = 0;
  const closing = svc.close().then(() => { closedAt = performance.now(); });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(closedAt, 0, 'close() must wait for the in-flight request');
  await assert.rejects(send(port, 'GET', '/health'), /ECONNREFUSED|ECONNRESET/);
  const releasedAt = performance.now();
  release();
  const r = await pending;
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.body).rewards, [1, 1, 0, 1]);
  await closing;
  assert.ok(closedAt >= releasedAt);
  assert.equal(svc.server.listening, false);
});

test('close() does not wait for idle keep-alive connections', async () => {
  const svc = await createRewardService({ reward: 'math' });
  const { port } = await svc.listen(0);
  const agent = new Agent({ keepAlive: true });
  try {
    const r = await send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY), {}, agent);
    assert.equal(r.status, 200);
    const t0 = performance.now();
    await svc.close();
    assert.ok(performance.now() - t0 < 1000, `close took ${performance.now() - t0} ms`);
  } finally {
    agent.destroy();
  }
});

test('an invalid default reward name fails at start with the known names', async () => {
  await assert.rejects(createRewardService({ reward: 'randon0.5' }), /not registered.*known: /);
});

test('close() does not wait for a connection that never sent a request', async () => {
  const svc = await createRewardService({ reward: 'math' });
  const { port } = await svc.listen(0);
  const idle = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => idle.once('connect', () => resolve()));
  const peerClosed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
  idle.on('error', () => {});
  await new Promise((r) => setTimeout(r, 20)); // let the server accept it
  const t0 = performance.now();
  await svc.close();
  const ms = performance.now() - t0;
  assert.ok(ms < 1000, `close took ${ms.toFixed(0)} ms (the close timeout is 30 s)`);
  await peerClosed;
});

test('a 10 MB body of nested arrays is refused before parsing, and /health answers meanwhile', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    const nested = '{"query":' + '['.repeat(5_000_000) + ']'.repeat(5_000_000) + '}';
    const t0 = performance.now();
    const pending = send(port, 'POST', '/get_reward', nested);
    await new Promise((r) => setTimeout(r, 5));
    const h0 = performance.now();
    const health = await send(port, 'GET', '/health');
    const healthMs = performance.now() - h0;
    const r = await pending;
    const rejectMs = performance.now() - t0;
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.body).error, /nests deeper than 64 levels .*refused before parsing/);
    assert.equal(health.status, 200);
    assert.ok(healthMs < 250, `/health took ${healthMs.toFixed(0)} ms`);
    assert.ok(rejectMs < 1500, `the refusal took ${rejectMs.toFixed(0)} ms`);
    const flat = '{"query":[' + Array(300_000).fill('0').join(',') + ']}';
    const f = await send(port, 'POST', '/get_reward', flat);
    assert.equal(f.status, 400);
    assert.match(JSON.parse(f.body).error, /more than 262144 array elements/);
    assert.equal((await send(port, 'POST', '/get_reward', JSON.stringify(OPENRLHF_BODY))).status, 200, 'the next request is served');
  });
});

test('a reward that compares with the label refuses empty labels (a wrong label column) with 422', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    const r = await send(port, 'POST', '/score', JSON.stringify({ completions: ['\\boxed{5}', 'no answer'], prompts: ['p', 'p'] }));
    assert.equal(r.status, 422);
    assert.match(JSON.parse(r.body).error, /labels\[0\] is empty \(2 of 2 labels are empty or missing\), but reward "math" compares .*label_column/);
    const random = await send(port, 'POST', '/score', JSON.stringify({ completions: ['a'], reward: 'random0.5' }));
    assert.equal(random.status, 200, 'rewards that read no label need none');
  });
});

test('a reward that needs whole groups cannot start without a group size; with one, /health and GET / report it', async () => {
  await assert.rejects(createRewardService({ reward: 'ttt' }), /reward "ttt" votes within each prompt's group .*--group-size N/);
  await withService({ reward: 'ttt', groupSize: 16 }, {}, async (port) => {
    const h = JSON.parse((await send(port, 'GET', '/health')).body);
    assert.equal(h.groupSize, 16);
    assert.equal(h.groupsWaiting, 0);
    const info = JSON.parse((await send(port, 'GET', '/')).body);
    assert.ok(info.requestExtensions.includes('wait_for_group'));
  });
});

test('close() answers requests waiting for their group with 503 at once', async () => {
  const svc = await createRewardService({ reward: 'ttt', groupSize: 4 });
  const { port } = await svc.listen(0);
  const waiting = send(port, 'POST', '/score', JSON.stringify({ completions: ['\\boxed{1}'], prompts: ['p'] }));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(svc.stats().completionsWaiting, 1);
  const t0 = performance.now();
  await svc.close();
  assert.ok(performance.now() - t0 < 1000);
  const r = await waiting;
  assert.equal(r.status, 503);
  assert.match(JSON.parse(r.body).error, /shutting down; the group of 4 completions this request belongs to had 1/);
});
