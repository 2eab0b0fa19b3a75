// The Python adapters (env/adapters/) called exactly as verl's reward managers and TRL's trainers call
// reward functions (test/reward-service/engine_calls.py reproduces the call shapes recorded in
// shared/fixtures/engine-wire/README.md; the engines are not installed), against a live service. Every
// configuration docs/reward-service.md marks `<!-- tested: ... -->` is run here as written (only the port
// changes), so a documented set-up that stops working fails a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { makeReward } from '../../lib/rewards';
import { createRng } from '../../lib/util';
import { documented } from './docs-blocks';
import { loadCapture, withService } from './http';

const HARNESS = join(process.cwd(), 'test', 'reward-service', 'engine_calls.py');
type Harness = { error?: string; scores?: number[]; results?: number[][]; is_async?: boolean; name?: string; num_generations?: number; metrics?: [string, number][] };

/** Runs one scenario through python3 (asynchronously: the service under test lives in this process). */
function harness(scenario: object): Promise<Harness> {
  return new Promise((resolve, reject) => {
    // No __pycache__ in env/adapters from a test run.
    const child = spawn('python3', [HARNESS], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`engine_calls.py exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as Harness);
    });
    child.stdin.end(JSON.stringify(scenario));
  });
}

const atPort = (text: string, port: number) => text.replaceAll('http://127.0.0.1:5000', `http://127.0.0.1:${port}`);
const overrides = (name: string, port: number) => atPort(documented(name), port).split('\n');

interface Row { data_source: string; solution_str: string; ground_truth: string; extra_info?: Record<string, unknown> | null }

/** Two prompts that share the label "5", 4 completions each: voted apart, A gets [0,1,1,1] and B [1,1,1,0];
 * merged into one vote of 8 (majority "6"), A would get [1,0,0,0]. */
const A = ['6', '5', '5', '5'].map((x) => `so \\boxed{${x}}`);
const B = ['6', '6', '6', '7'].map((x) => `hence \\boxed{${x}}`);
const ttt = makeReward('ttt', { verifierMode: 'authors' });
const vote = (cs: string[]) => ttt({ prompt: '', label: '5', completions: cs, rng: createRng(0) });

function rows(info: (prompt: number) => Record<string, unknown> | null, copies = 1): Row[] {
  const out: Row[] = [];
  for (let c = 0; c < copies; c++) {
    A.forEach((s) => out.push({ data_source: 'math', solution_str: s, ground_truth: '5', extra_info: info(0) }));
    B.forEach((s) => out.push({ data_source: 'math', solution_str: s, ground_truth: '5', extra_info: info(1) }));
  }
  return out;
}

test('the group votes the tests rely on', () => {
  assert.deepEqual(vote(A), [0, 1, 1, 1]);
  assert.deepEqual(vote(B), [1, 1, 1, 0]);
  assert.deepEqual(vote([...A, ...B]).slice(0, 4), [1, 0, 0, 0]);
});

test('verl reward loop (the default) with the documented config: compute_score_async per sample, ttt votes within each prompt', async () => {
  // The docs' group size is the paper's 16: four copies of each prompt's 4 completions.
  const expected = [...vote([...A, ...A, ...A, ...A]).slice(0, 4), ...vote([...B, ...B, ...B, ...B]).slice(0, 4)];
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    const out = await harness({ engine: 'verl', overrides: overrides('verl reward loop', port), rows: rows((p) => ({ index: p }), 4) });
    assert.equal(out.error, undefined, out.error);
    assert.equal(out.is_async, true, 'verl must see an async function, or it runs it in its thread pool');
    assert.deepEqual(out.scores, [...expected, ...expected, ...expected, ...expected]);
  });
});

test('verl batch manager with the documented config: compute_score_batch on a reordered batch, grouped by extra_info.index', async () => {
  const docs = (port: number) => overrides('verl batch', port).map((l) => l.replace('group_size=16', 'group_size=4'));
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    assert.ok(documented('verl batch').includes('reward_model.use_reward_loop=False'), 'the batch manager exists only on the legacy path');
    const out = await harness({ engine: 'verl', overrides: docs(port), rows: rows((p) => ({ index: p })), shuffle_seed: 3 });
    assert.equal(out.error, undefined, out.error);
    assert.deepEqual(out.scores, [...vote(A), ...vote(B)]);
    // A prompt text in extra_info works as well as an index (its hash is the key).
    const byText = await harness({ engine: 'verl', overrides: docs(port), rows: rows((p) => ({ question: `question ${p}` })), shuffle_seed: 5 });
    assert.deepEqual(byText.scores, [...vote(A), ...vote(B)]);
    // numpy integers and pandas' float indices are indices too.
    const floats = await harness({ engine: 'verl', overrides: docs(port), rows: rows((p) => ({ index: p + 0.0 })) });
    assert.deepEqual(floats.scores, [...vote(A), ...vote(B)]);
  });
});

test('verl without extra_info.index: two prompts sharing the label "5" are refused, never merged into one vote', async () => {
  const docs = (port: number) => overrides('verl batch', port).map((l) => l.replace('group_size=16', 'group_size=4'));
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    const out = await harness({ engine: 'verl', overrides: docs(port), rows: rows(() => null) });
    assert.match(out.error ?? '', /RewardServiceError: .*422: .*share the label "5" .*8 completions for a group size of 4 come from several prompts.*extra_info\.index/);
    // One prompt per label is unambiguous, and is scored.
    const single = await harness({ engine: 'verl', overrides: docs(port), rows: rows(() => ({})).slice(0, 4) });
    assert.deepEqual(single.scores, vote(A));
    // Per sample (reward loop), a sample without a key cannot be placed: refused at once.
    const loop = overrides('verl reward loop', port).map((l) => l.replace('group_size=16', 'group_size=4'));
    const perSample = await harness({ engine: 'verl', overrides: loop, rows: rows(() => ({})).slice(0, 4) });
    assert.match(perSample.error ?? '', /422: .*neither a groups id nor a prompt.*extra_info\.index/);
  });
});

test('verl legacy naive manager (documented for rewards other than ttt): math per sample; ttt refused at once, naming the fix', async () => {
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    const math = makeReward('math', { verifierMode: 'authors' });
    const out = await harness({ engine: 'verl', overrides: overrides('verl naive', port), rows: rows((p) => ({ index: p })) });
    assert.equal(out.error, undefined, out.error);
    assert.deepEqual(out.scores, [...A, ...B].map((c) => math({ prompt: '', label: '5', completions: [c], rng: createRng(0) })[0]));
    const asTtt = overrides('verl naive', port).map((l) => l.replace('reward=math', 'reward=ttt')).concat('+custom_reward_function.reward_kwargs.group_size=4');
    const refused = await harness({ engine: 'verl', overrides: asTtt, rows: rows((p) => ({ index: p })) });
    assert.match(refused.error ?? '', /422: .*holds 1 of the 4 completions.*wait_for_group: false.*compute_score_async/);
  });
});

test('verl: the old documented config (reward_manager=batch on the default reward loop) fails as verl fails; naive with the batch function is a TypeError', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    const old = ['reward_model.reward_manager=batch', 'custom_reward_function.path=env/adapters/verl_reward.py', 'custom_reward_function.name=compute_score_batch', `+custom_reward_function.reward_kwargs.url=http://127.0.0.1:${port}`];
    assert.match((await harness({ engine: 'verl', overrides: old, rows: rows((p) => ({ index: p })) })).error ?? '', /Unknown reward manager: batch/);
    const naive = old.filter((l) => !l.startsWith('reward_model.'));
    assert.match((await harness({ engine: 'verl', overrides: naive, rows: rows((p) => ({ index: p })) })).error ?? '', /TypeError/);
  });
});

// --- TRL ---

const OLD = loadCapture('openrlhf-591b148-remote-rm.jsonl')[0].body;
const PROMPTS = OLD.prompts;
const COMPLETIONS = OLD.query.map((q, i) => q.slice(PROMPTS[i].length));
const LABELS = OLD.labels.map((l) => l ?? '');

test('TRL with the documented config: labels from label_column="solution", math per completion, metrics logged', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    const out = await harness({ engine: 'trl', snippet: atPort(documented('trl'), port), calls: [{ prompts: PROMPTS, completions: COMPLETIONS, columns: { solution: LABELS }, step: 3 }] });
    assert.equal(out.error, undefined, out.error);
    const math = makeReward('math', { verifierMode: 'authors' });
    assert.deepEqual(out.results?.[0], COMPLETIONS.map((c, i) => math({ prompt: '', label: LABELS[i], completions: [c], rng: createRng(0) })[0]));
    assert.equal(out.name, 'rlvr_math');
    assert.equal(out.num_generations, 4);
    assert.deepEqual(out.metrics?.map(([name]) => name), ['mentions_python', 'has_boxed']);
  });
});

test('TRL: a label column that is not there is an error naming the columns TRL passed, not a reward against nothing', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    const snippet = `from trl import GRPOConfig, GRPOTrainer\nfrom trl_reward import make_reward_func\nGRPOTrainer(model="m", reward_funcs=[make_reward_func("http://127.0.0.1:${port}", reward="math")], args=GRPOConfig(num_generations=4))`;
    const out = await harness({ engine: 'trl', snippet, calls: [{ prompts: PROMPTS, completions: COMPLETIONS, columns: { solution: LABELS, level: LABELS.map(() => 3) } }] });
    assert.match(out.error ?? '', /KeyError: .*TRL passed no dataset column 'answer'; the columns it passed are \['level', 'solution'\] \(did you mean label_column='solution'\?\)/);
  });
});

test('TRL async trainer: the reward function pickles, stays async, and is called once per group', async () => {
  await withService({ reward: 'math' }, {}, async (port) => {
    for (const asynchronous of ['True', 'False']) {
      const snippet = `from trl import GRPOConfig, GRPOTrainer\nfrom trl_reward import make_reward_func\nGRPOTrainer(model="m", reward_funcs=[make_reward_func("http://127.0.0.1:${port}", reward="box_only_format", label_column=None, asynchronous=${asynchronous})], args=GRPOConfig(num_generations=4))`;
      const calls = [0, 4].map((k) => ({ prompts: PROMPTS.slice(k, k + 4), completions: COMPLETIONS.slice(k, k + 4), columns: {} }));
      const out = await harness({ engine: 'trl', snippet, calls, call_mode: 'async' });
      assert.equal(out.error, undefined, out.error);
      assert.equal(out.is_async, asynchronous === 'True');
      const boxed = makeReward('box_only_format');
      assert.deepEqual(out.results, [0, 4].map((k) => boxed({ prompt: '', label: '', completions: COMPLETIONS.slice(k, k + 4), rng: createRng(0) })), asynchronous);
      assert.deepEqual(out.results?.[0], [1, 1, 1, 0], 'the answer-less completion has no box');
    }
  });
});

test('TRL on two GPUs with ttt: each process scores half of every group; the service joins the halves before voting', async () => {
  await withService({ reward: 'math', mode: 'authors' }, {}, async (port) => {
    const snippet = `from trl import GRPOConfig, GRPOTrainer\nfrom trl_reward import make_reward_func\nGRPOTrainer(model="m", reward_funcs=[make_reward_func("http://127.0.0.1:${port}", reward="ttt", mode="authors", label_column=None, group_size=4)], args=GRPOConfig(num_generations=4))`;
    const half = (k: number) => [0, 1, 4, 5].map((i) => i + k);
    const calls = [0, 2].map((k) => ({ prompts: half(k).map((i) => PROMPTS[i]), completions: half(k).map((i) => COMPLETIONS[i]), columns: {}, step: 7 }));
    const out = await harness({ engine: 'trl', snippet, calls, call_mode: 'processes' });
    assert.equal(out.error, undefined, out.error);
    const whole = [...vote(COMPLETIONS.slice(0, 4)), ...ttt({ prompt: '', label: '', completions: COMPLETIONS.slice(4), rng: createRng(0) })];
    assert.deepEqual(out.results, [half(0).map((i) => whole[i]), half(2).map((i) => whole[i])]);
  });
});
