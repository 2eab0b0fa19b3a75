import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupBarrier, inlineScorer, RequestError, throttledLog, type ScoreItem, type ScoreJob, type ScoreResult, type Submission } from '../../lib/reward-service';
import { makeReward } from '../../lib/rewards';
import { createRng } from '../../lib/util';

function barrier(over: Partial<ConstructorParameters<typeof GroupBarrier>[0]> = {}, lines: string[] = []): GroupBarrier {
  return new GroupBarrier({ groupSize: 4, timeoutMs: 10_000, maxWaiting: 1000, retryMemoryMs: 60_000, score: (j) => inlineScorer().score(j), log: throttledLog((l) => lines.push(l)), ...over });
}

function job(items: ScoreItem[], grouping: ScoreJob['grouping'] = { waitForGroup: true }): ScoreJob {
  return { reward: 'ttt', mode: 'strict', seed: 0, items, grouping };
}

const item = (completion: string, prompt = 'P', label = '5', group?: string): ScoreItem => (group === undefined ? { prompt, completion, label } : { prompt, completion, label, group });

/** The refusal a synchronous submit throws: [status, message]. */
function refusal(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestError) return [e.status, e.message];
    throw e;
  }
  throw new Error('expected a refusal');
}

const settled = (s: Submission) => Promise.race([s.result.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 20))]);

test('members arriving one per request wait until the group is whole; each gets the vote of the whole group', async () => {
  const b = barrier();
  const answers = ['\\boxed{6}', '\\boxed{5}', '\\boxed{5}', 'no answer'];
  const subs = answers.slice(0, 3).map((a) => b.submit(job([item(a)])));
  assert.equal(await settled(subs[0]), false, 'three of four must wait');
  assert.deepEqual(b.stats(), { groupsWaiting: 1, completionsWaiting: 3 });
  subs.push(b.submit(job([item(answers[3])])));
  const got = await Promise.all(subs.map((s) => s.result));
  const expected = makeReward('ttt')({ prompt: 'P', label: '5', completions: answers, rng: createRng(0) });
  assert.deepEqual(got.map((r) => r.rewards[0]), expected);
  assert.deepEqual(expected, [0, 1, 1, 0]);
  assert.ok(got.every((r) => r.extraLogs.group_size[0] === 4));
  assert.deepEqual(b.stats(), { groupsWaiting: 0, completionsWaiting: 0 });
});

test('without a group size the request is refused, naming the reward, --group-size and the engines\' settings', () => {
  const [status, message] = refusal(() => barrier({ groupSize: undefined }).submit(job([item('x')])));
  assert.equal(status, 400);
  assert.match(message, /reward "ttt" .* needs the prompt's whole group/);
  assert.match(message, /--group-size N .*n_samples_per_prompt.*rollout\.n.*num_generations.*"group_size"/);
  // A request may bring its own size.
  const b = barrier({ groupSize: undefined });
  const s = b.submit(job([item('a'), item('b')], { waitForGroup: true, groupSize: 2 }));
  return s.result.then((r) => assert.equal(r.rewards.length, 2));
});

test('wait_for_group false: whole groups in the request are scored, an incomplete one is refused at once and leaves nothing waiting', async () => {
  const b = barrier();
  const whole = b.submit(job(['1', '1', '2', '1'].map((a) => item(`\\boxed{${a}}`)), { waitForGroup: false }));
  assert.deepEqual((await whole.result).rewards, [1, 1, 0, 1]);
  const [status, message] = refusal(() => b.submit(job([item('\\boxed{1}', 'Q')], { waitForGroup: false })));
  assert.equal(status, 422);
  assert.match(message, /holds 1 of the 4 completions .*wait_for_group: false.*compute_score_async/);
  assert.deepEqual(b.stats(), { groupsWaiting: 0, completionsWaiting: 0 });
});

test('keys that are the label alone: refused when waiting; in a whole batch accepted only when each label has exactly one group', async () => {
  const b = barrier();
  const noPrompt = (a: string, label = '5') => item(`\\boxed{${a}}`, '', label);
  assert.match(refusal(() => b.submit(job([noPrompt('5')])))[1], /neither a groups id nor a prompt.*extra_info\.index/);
  const one = b.submit(job(['6', '5', '5', '5'].map((a) => noPrompt(a)), { waitForGroup: false }));
  assert.deepEqual((await one.result).rewards, [0, 1, 1, 1]);
  // Two prompts sharing the label "5" (verl without extra_info.index): 8 completions, group size 4.
  const two = ['6', '5', '5', '5', '6', '6', '6', '7'].map((a) => noPrompt(a));
  const [status, message] = refusal(() => b.submit(job(two, { waitForGroup: false })));
  assert.equal(status, 422);
  assert.match(message, /share the label "5" .* 8 completions for a group size of 4 come from several prompts/);
});

test('one group has one label; a mismatch is a 400 and nothing joins', () => {
  const b = barrier();
  b.submit(job([item('a', 'P', '5', 's:g1')])).result.catch(() => {});
  assert.match(refusal(() => b.submit(job([item('b', 'P', '6', 's:g1'), item('c', 'P', '5', 's:g2')])))[1], /labels\[0\] is "6", but its group \(groups id "g1"\) has label "5"/);
  assert.deepEqual(b.stats(), { groupsWaiting: 1, completionsWaiting: 1 });
  b.close();
});

test('a retry takes over the member of a client that hung up; a finished group answers retries from memory', async () => {
  const b = barrier({ groupSize: 2 });
  const first = b.submit(job([item('\\boxed{1}')]));
  first.result.catch(() => {});
  first.detach(); // OpenRLHF's request timed out; it retries the same completion
  const retry = b.submit(job([item('\\boxed{1}')]));
  assert.deepEqual(b.stats(), { groupsWaiting: 1, completionsWaiting: 1 }, 'the retry replaced its orphan instead of joining as a second member');
  const other = b.submit(job([item('\\boxed{2}')]));
  assert.deepEqual((await retry.result).rewards, [1]);
  assert.deepEqual((await other.result).rewards, [0]);
  const again = b.submit(job([item('\\boxed{2}')]));
  assert.deepEqual((await again.result).rewards, [0]);
  assert.deepEqual(b.stats(), { groupsWaiting: 0, completionsWaiting: 0 });
});

test('the deadline fails every member with a 422 and one log line; a retry of a member gets the same failure at once', async () => {
  const lines: string[] = [];
  const b = barrier({ timeoutMs: 50 }, lines);
  const subs = [b.submit(job([item('a')])), b.submit(job([item('b')]))];
  for (const s of subs) await assert.rejects(s.result, (e: unknown) => e instanceof RequestError && e.status === 422 && /only 2 of its 4 completions arrived within 0\.1 s \(prompt "P", label "5"\)/.test(e.message));
  assert.equal(lines.length, 1);
  assert.match(refusal(() => b.submit(job([item('a')])))[1], /only 2 of its 4/);
});

test('step keeps one prompt of two steps apart; close() answers waiting requests with 503', async () => {
  const b = barrier({ groupSize: 2 });
  const s1 = b.submit(job([item('x')], { waitForGroup: true, step: '1' }));
  const s2 = b.submit(job([item('y')], { waitForGroup: true, step: '2' }));
  assert.deepEqual(b.stats(), { groupsWaiting: 2, completionsWaiting: 2 });
  b.close();
  for (const s of [s1, s2]) await assert.rejects(s.result, (e: unknown) => e instanceof RequestError && e.status === 503);
  assert.equal(refusal(() => b.submit(job([item('z')])))[0], 503);
});

test('a bound on waiting completions: past it requests get 503 naming the likely cause', () => {
  const b = barrier({ maxWaiting: 3 });
  b.submit(job([item('a', 'P1'), item('b', 'P2'), item('c', 'P3')])).result.catch(() => {});
  const [status, message] = refusal(() => b.submit(job([item('d', 'P4')])));
  assert.equal(status, 503);
  assert.match(message, /--group-size is larger than the engine's samples per prompt/);
  b.close();
});

test('a scorer failure fails every request of the completed group', async () => {
  const b = barrier({ groupSize: 2, score: (): Promise<ScoreResult> => Promise.reject(new Error('scorer exploded')) });
  const s = [b.submit(job([item('a')])), b.submit(job([item('b')]))];
  for (const x of s) await assert.rejects(x.result, /scorer exploded/);
});
