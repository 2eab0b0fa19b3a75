// The exact requests OpenRLHF's own client code sent (shared/fixtures/engine-wire/, both versions),
// replayed against the service. The expected rewards are lib/rewards' on each prompt's whole group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeReward, type RewardFn } from '../../lib/rewards';
import { createRng } from '../../lib/util';
import { answer, loadCapture, replay, withService, type CapturedRequest } from './http';

const HEAD = loadCapture('openrlhf-3c3be62-agent-executor.jsonl');
const OLD = loadCapture('openrlhf-591b148-remote-rm.jsonl');

/** completion -> its reward when `fn` scores each prompt's group, groups taken from the whole-batch request. */
function expectedByCompletion(fn: RewardFn, whole: CapturedRequest): Map<string, number> {
  const { query, prompts, labels } = whole.body;
  const groups = new Map<string, { label: string; completions: string[] }>();
  query.forEach((q, i) => {
    const g = groups.get(prompts[i]) ?? { label: labels[i] ?? '', completions: [] };
    g.completions.push(q.slice(prompts[i].length));
    groups.set(prompts[i], g);
  });
  const out = new Map<string, number>();
  for (const [prompt, g] of groups) {
    const rewards = fn({ prompt, label: g.label, completions: g.completions, rng: createRng(0) });
    g.completions.forEach((c, i) => out.set(prompt + c, rewards[i]));
  }
  return out;
}

const TTT = makeReward('ttt', { verifierMode: 'authors' });
const EXPECTED_TTT = expectedByCompletion(TTT, OLD[0]);

test('the captures are what the tests assume: 2 prompts x 4 completions, one of them without an answer', () => {
  assert.equal(OLD[0].body.query.length, 8);
  assert.deepEqual(HEAD.slice(0, 8).map((r) => r.body.query.length), [1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(HEAD.slice(0, 8).map((r) => r.body.query[0]), OLD[0].body.query);
  assert.ok(OLD[0].body.query.some((q) => q.includes('The sum is five.')));
  // Voting within the whole group gives the answer-less completion 0 (authors mode).
  assert.deepEqual(OLD[0].body.query.map((q) => EXPECTED_TTT.get(q)), [1, 0, 1, 0, 1, 1, 1, 0]);
});

test('OpenRLHF 3c3be62 sends one completion per request: ttt waits for the whole group and votes over all 4', async () => {
  await withService({ reward: 'ttt', mode: 'authors', groupSize: 4 }, {}, async (port) => {
    // As the agent executor does: each request as its generation finishes, all in flight at once.
    const first = await Promise.all(HEAD.slice(0, 8).map((r) => replay(port, r)));
    first.forEach((reply, i) => {
      const a = answer(reply);
      const q = HEAD[i].body.query[0];
      assert.deepEqual(a.rewards, [EXPECTED_TTT.get(q)], q.slice(-50));
      assert.deepEqual(a.extra_logs.group_size, [4]);
    });
    // "The sum is five." has no answer: a group of one would reward it (its own majority); the group does not.
    const noAnswer = HEAD.findIndex((r) => r.body.query[0].includes('The sum is five.'));
    assert.deepEqual(answer(first[noAnswer]).rewards, [0]);
    // Then the same client over two servers: a 1-sample batch and an empty chunk, per request. The retried
    // completions get their group's answer at once, the empty chunk an empty answer.
    for (const r of HEAD.slice(8)) {
      const reply = await replay(port, r);
      const a = answer(reply);
      assert.deepEqual(a.rewards, r.body.query.map((q) => EXPECTED_TTT.get(q)));
      if (r.body.query.length === 0) assert.equal(reply.body, '{"rewards":[],"scores":[],"extra_logs":{"mentions_python":[],"has_boxed":[],"group_size":[]}}');
    }
  });
});

test('OpenRLHF 591b148 sends the whole batch: ttt answers at once; the same batch split over 3 servers is joined into whole groups', async () => {
  await withService({ reward: 'ttt', mode: 'authors', groupSize: 4 }, {}, async (port) => {
    const a = answer(await replay(port, OLD[0]));
    assert.deepEqual(a.rewards, OLD[0].body.query.map((q) => EXPECTED_TTT.get(q)));
  });
  // Three URLs of one service: the chunks (3 + 3 + 2, cutting the first prompt's group) meet in the barrier.
  await withService({ reward: 'ttt', mode: 'authors', groupSize: 4 }, {}, async (port) => {
    const parts = await Promise.all(OLD.slice(1, 4).map((r) => replay(port, r)));
    parts.forEach((reply, k) => assert.deepEqual(answer(reply).rewards, OLD[k + 1].body.query.map((q) => EXPECTED_TTT.get(q))));
    // The client's retry of the whole batch gets the same answers.
    assert.deepEqual(answer(await replay(port, OLD[4])).rewards, OLD[4].body.query.map((q) => EXPECTED_TTT.get(q)));
  });
});

test('three separate servers each see part of a group: after the deadline every request gets 422 naming the cause, and the log says so', async () => {
  const lines: string[] = [];
  const opts = { reward: 'ttt', mode: 'authors' as const, groupSize: 4, groupTimeoutMs: 200 };
  await withService(opts, { log: (l) => lines.push(l) }, async (p1) => {
    await withService(opts, {}, async (p2) => {
      await withService(opts, {}, async (p3) => {
        const t0 = performance.now();
        const replies = await Promise.all(OLD.slice(1, 4).map((r, k) => replay([p1, p2, p3][k], r)));
        for (const r of replies) {
          assert.equal(r.status, 422, r.body);
          const message = JSON.parse(r.body).error as string;
          assert.match(message, /reward "ttt"/);
          assert.match(message, /only \d of its 4 completions arrived within 0\.2 s/);
          assert.match(message, /several reward servers/);
          assert.match(message, /--group-size 4/);
        }
        assert.ok(performance.now() - t0 < 5000);
        // The retry (OpenRLHF tries 5 times) gets the same refusal at once instead of opening a new group.
        const t1 = performance.now();
        const again = await replay(p1, OLD[1]);
        assert.equal(again.status, 422);
        assert.ok(performance.now() - t1 < 150, `retry took ${performance.now() - t1} ms`);
      });
    });
  });
  assert.ok(lines.some((l) => /reward service: .*only 3 of its 4 completions arrived/.test(l)), lines.join('\n'));
});

test('rewards that do not need the group are answered per request, as before: math on both captures', async () => {
  const math = makeReward('math', { verifierMode: 'authors' });
  const expected = expectedByCompletion(math, OLD[0]);
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    for (const r of [...HEAD, ...OLD]) {
      const a = answer(await replay(port, r));
      assert.deepEqual(a.rewards, r.body.query.map((q) => expected.get(q)));
    }
  });
});

test('OpenRLHF >= 0.10 with --data.max_len 2048 and 3,072 new tokens cuts every prompt: the 422 names --data.max_len, once in the log', async () => {
  const lines: string[] = [];
  await withService({ reward: 'math' }, { log: (l) => lines.push(l) }, async (port) => {
    // SingleTurnAgentExecutor keeps prompt_token_ids[-(max_len - max_new_tokens):] = [1024:]: a short prompt is
    // dropped entirely, and the decoded query is the response alone.
    for (const r of HEAD.slice(0, 8)) {
      const truncated = { ...r, body: { ...r.body, query: [r.body.query[0].slice(r.body.prompts[0].length)] } };
      const reply = await replay(port, truncated);
      assert.equal(reply.status, 422);
      assert.match(JSON.parse(reply.body).error, /--data\.max_len, default 2048.*e\.g\. 4096 = 1024 \+ 3072/);
    }
  });
  const logged = lines.filter((l) => /422 on POST \/get_reward/.test(l));
  assert.equal(logged.length, 1, lines.join('\n'));
  assert.match(logged[0], /--data\.max_len/);
});
