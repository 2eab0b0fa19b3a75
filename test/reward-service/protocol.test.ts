import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseOpenRlhfRequest, parseScoreRequest, parseJsonObject, formatResult, floatJson, RequestError,
  scoreJob, groupItems, groupRng, RewardCache, splitGroups, type ParseDefaults,
} from '../../lib/reward-service';
import { makeReward } from '../../lib/rewards';

const D: ParseDefaults = { reward: 'math', mode: 'strict', seed: 0, stripTokens: [], prefixMismatch: 'error' };

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestError) return e.status;
    throw e;
  }
  return 200;
}

test('OpenRLHF: the completion is the query minus the prompt prefix; labels keep strings, print numbers, null is ""', () => {
  const job = parseOpenRlhfRequest({
    query: ['<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nso \\boxed{4}<|im_end|>', 'PA', 'PB'],
    prompts: ['<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n', 'P', 'P'],
    labels: ['4', 7, null],
  }, D);
  assert.deepEqual(job.items.map((i) => i.completion), ['so \\boxed{4}<|im_end|>', 'A', 'B']);
  assert.deepEqual(job.items.map((i) => i.label), ['4', '7', '']);
  assert.deepEqual([job.reward, job.mode, job.seed], ['math', 'strict', 0]);
});

test('OpenRLHF: empty lists are a valid request', () => {
  const job = parseOpenRlhfRequest({ query: [], prompts: [], labels: [] }, D);
  assert.equal(job.items.length, 0);
  assert.equal(formatResult(scoreJob(job, new RewardCache())), '{"rewards":[],"scores":[],"extra_logs":{"mentions_python":[],"has_boxed":[],"group_size":[]}}');
});

test('OpenRLHF: strip tokens apply before the prefix test; a mismatch is 422 unless whole-query', () => {
  const body = { query: ['<pad><pad>PROMPT answer<pad>'], prompts: ['PROMPT'], labels: ['x'] };
  assert.equal(status(() => parseOpenRlhfRequest(body, D)), 422);
  assert.equal(parseOpenRlhfRequest(body, { ...D, stripTokens: ['<pad>'] }).items[0].completion, ' answer');
  assert.equal(parseOpenRlhfRequest(body, { ...D, prefixMismatch: 'whole-query' }).items[0].completion, '<pad><pad>PROMPT answer<pad>');
});

test('bad bodies are 400 with the field named', () => {
  const cases: [unknown, RegExp][] = [
    [{ prompts: [], labels: [] }, /^query: missing/],
    [{ query: 'text', prompts: [], labels: [] }, /^query: expected an array/],
    [{ query: ['a', 3], prompts: ['a', 'b'], labels: [null, null] }, /^query\[1\]: expected a string, received number 3/],
    [{ query: ['a'], prompts: [], labels: [null] }, /^prompts: has 0 elements, expected 1/],
    [{ query: ['a'], prompts: ['a'] }, /^labels: missing/],
    [{ query: ['a'], prompts: ['a'], labels: [[1]] }, /^labels\[0\]: expected a string, number or null, received an array/],
    [{ query: ['a'], prompts: ['a'], labels: [true] }, /^labels\[0\]: .*boolean true/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], mode: 'loose' }, /^mode: expected "strict" or "authors"/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], seed: 1.5 }, /^seed: expected an integer/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], reward: 5 }, /^reward: expected a non-empty string/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], groups: [{}] }, /^groups\[0\]: expected a string, an integer or null/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], group_size: 0 }, /^group_size: expected an integer in \[1, 65536\]/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], wait_for_group: 'no' }, /^wait_for_group: expected true or false/],
    [{ query: ['a'], prompts: ['a'], labels: ['1'], step: 1.5 }, /^step: expected a string or an integer/],
  ];
  for (const [body, message] of cases) {
    assert.throws(() => parseOpenRlhfRequest(body as Record<string, never>, D), (e: unknown) => e instanceof RequestError && e.status === 400 && message.test(e.message), JSON.stringify(body));
  }
  assert.throws(() => parseJsonObject('{"query": ['), (e: unknown) => e instanceof RequestError && e.status === 400 && /not valid JSON/.test(e.message));
  assert.throws(() => parseJsonObject('[1, 2]'), (e: unknown) => e instanceof RequestError && /must be a JSON object, received an array/.test(e.message));
  assert.throws(() => parseScoreRequest({ prompts: ['p'] }, D), (e: unknown) => e instanceof RequestError && /^completions: missing/.test(e.message));
});

test('floats always carry a decimal point (Python json must read float, not int)', () => {
  assert.equal(floatJson(1), '1.0');
  assert.equal(floatJson(0), '0.0');
  assert.equal(floatJson(-0), '0.0');
  assert.equal(floatJson(0.25), '0.25');
  assert.equal(floatJson(1e21), '1e+21');
  assert.throws(() => floatJson(NaN), /finite/);
  const text = formatResult({ rewards: [1, 0], extraLogs: { group_size: [2, 2] } });
  assert.equal(text, '{"rewards":[1.0,0.0],"scores":[1.0,0.0],"extra_logs":{"group_size":[2.0,2.0]}}');
  assert.deepEqual(JSON.parse(text), { rewards: [1, 0], scores: [1, 0], extra_logs: { group_size: [2, 2] } });
});

test('scoreJob equals makeReward on each (prompt, label) group, for several reward names', () => {
  const items = [
    { prompt: 'p1', label: '4', completion: 'so \\boxed{4}' },
    { prompt: 'p2', label: '9', completion: 'I would use python: \\boxed{8}' },
    { prompt: 'p1', label: '4', completion: 'the answer is \\boxed{5}' },
    { prompt: 'p1', label: '4', completion: 'no box here, 4' },
  ];
  for (const reward of ['math', 'box_only_format', 'contain_python_wo_backticks', 'math_AND_inverse_contain_python_wo_backticks', 'ttt', 'random0.5']) {
    const r = scoreJob({ reward, mode: 'strict', seed: 7, items }, new RewardCache());
    const fn = makeReward(reward, { verifierMode: 'strict' });
    const g1 = { prompt: 'p1', label: '4', completions: [items[0].completion, items[2].completion, items[3].completion] };
    const g2 = { prompt: 'p2', label: '9', completions: [items[1].completion] };
    const r1 = fn({ ...g1, rng: groupRng(7, g1) });
    const r2 = fn({ ...g2, rng: groupRng(7, g2) });
    assert.deepEqual(r.rewards, [r1[0], r2[0], r1[1], r1[2]], reward);
    assert.deepEqual(r.extraLogs.group_size, [3, 1, 3, 3]);
  }
  const m = scoreJob({ reward: 'math', mode: 'strict', seed: 0, items }, new RewardCache());
  assert.deepEqual(m.rewards, [1, 0, 0, 0]);
  assert.deepEqual(m.extraLogs.mentions_python, [0, 1, 0, 0]);
  assert.deepEqual(m.extraLogs.has_boxed, [1, 1, 1, 0]);
});

test('random rewards: same request, same rewards; the seed changes them; batching does not', () => {
  const items = Array.from({ length: 64 }, (_, i) => ({ prompt: `p${i % 4}`, label: '', completion: `completion ${i}` }));
  const run = (seed: number, its = items, reward = 'random0.5') => scoreJob({ reward, mode: 'strict', seed, items: its }, new RewardCache()).rewards;
  assert.deepEqual(run(1), run(1));
  assert.notDeepEqual(run(1), run(2));
  // OpenRLHF HEAD calls per sample; older versions per micro-batch or per step: the rewards are the same.
  assert.deepEqual(items.map((it) => run(1, [it])[0]), run(1));
  assert.deepEqual([...run(1, items.slice(0, 20)), ...run(1, items.slice(20))], run(1));
  const mean = run(5).reduce((a, b) => a + b, 0) / 64;
  assert.ok(mean > 0.25 && mean < 0.75, `mean ${mean}`);
  // Identical completions in one group still get their own draws (k counts the earlier copies).
  const same = Array.from({ length: 32 }, () => ({ prompt: 'p', label: '', completion: '\\boxed{1}' }));
  const draws = run(9, same);
  assert.ok(draws.includes(0) && draws.includes(1), draws.join(''));
  // A compound that draws twice takes each completion's next draw: random0.5 AND random0.5 has rate ~1/4.
  const both = run(11, items, 'random0.5_AND_random0.5');
  const rate = both.reduce((a, b) => a + b, 0) / both.length;
  assert.ok(rate < 0.45, `rate ${rate}`);
  assert.ok(both.every((b, i) => b <= run(11, items)[i]), 'the AND is 1 only where the first draw is 1');
});

test('explicit groups override (prompt, label) grouping and must share a label', () => {
  const job = parseScoreRequest({ completions: ['\\boxed{1}', '\\boxed{1}', '\\boxed{2}'], prompts: ['a', 'b', 'c'], groups: [0, 0, 0], reward: 'ttt' }, D);
  assert.deepEqual(groupItems(job.items).map((g) => g.indices), [[0, 1, 2]]);
  assert.deepEqual(scoreJob(job, new RewardCache()).rewards, [1, 1, 0]);
  const bad = parseScoreRequest({ completions: ['x', 'y'], labels: ['1', '2'], groups: ['g', 'g'] }, D);
  assert.throws(() => groupItems(bad.items), /labels\[1\] differs from labels\[0\]/);
});

test('splitGroups keeps order and makes at most k non-empty chunks', () => {
  const groups = Array.from({ length: 10 }, (_, i) => ({ prompt: `${i}`, label: '', completions: ['x'.repeat(10 * (i + 1))], indices: [i] }));
  for (const k of [1, 2, 3, 16]) {
    const chunks = splitGroups(groups, k);
    assert.ok(chunks.length <= k && chunks.every((c) => c.length > 0));
    assert.deepEqual(chunks.flat().map((g) => g.prompt), groups.map((g) => g.prompt));
  }
  assert.equal(splitGroups(groups, 2).length, 2);
});

test('grouping extensions: group_size, wait_for_group, step; a null groups entry means the prompt is unknown', () => {
  const job = parseScoreRequest({ completions: ['a', 'b'], groups: [3, null], group_size: 16, wait_for_group: false, step: 12 }, D);
  assert.deepEqual(job.grouping, { waitForGroup: false, groupSize: 16, step: '12' });
  assert.equal(job.items[0].group, 'n:3');
  assert.equal(job.items[1].group, undefined);
  assert.deepEqual(parseOpenRlhfRequest({ query: [], prompts: [], labels: [] }, D).grouping, { waitForGroup: true });
  // The prefix 422 says what usually causes it.
  assert.throws(() => parseOpenRlhfRequest({ query: ['answer only'], prompts: ['PROMPT'], labels: ['1'] }, D), (e: unknown) => e instanceof RequestError && e.status === 422 && /first difference at character 0\).*--data\.max_len.*--strip-token/.test(e.message));
});
