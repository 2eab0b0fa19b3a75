// The dataset task of `rlvr train` (lib/grpo/train/dataset-task.ts): a tiny organism GPT checkpoint
// saved with its char tokenizer, trained on MATH-500 problems rendered with the qwen-math template;
// labels from the dataset, resume with the data position, majority-vote gold matching, and the
// errors for bad JSONL lines, unknown dataset names and characters a char tokenizer cannot encode.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../lib/tensor';
import { loadBenchmark, loadMajorityVoteLabels } from '../../lib/data';
import { createGpt, saveCheckpoint } from '../../lib/models';
import { renderPrompt } from '../../lib/prompts';
import { saveCharTokenizer } from '../../lib/serve';
import { CharTokenizer } from '../../lib/tokenizers';
import {
  createDatasetTask, DATASET_NAMES, DATASET_TASK_DEFAULTS, readRecords, resolveTrainConfig, resumeTraining, sampleRollout, TIMING_FIELDS, train,
  type DatasetTaskConfig, type RolloutRecord, type SampleRecord, type StepRecord,
} from '../../lib/grpo';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'rlvr-train-dataset-'));
const LIMIT = 8;
const math500 = (): { prompt: string; answer: string }[] => loadBenchmark('math500').slice(0, LIMIT);

/** Characters the completions may use beyond the prompts (a boxed answer). */
const ANSWER_CHARS = '\\boxed{}0123456789';

/**
 * A d16 one-layer organism GPT saved with a char tokenizer whose alphabet is every character of
 * the rendered prompts (the test's choice: the char tokenizer refuses unknown characters).
 */
async function organismCheckpoint(prompts: readonly string[]): Promise<string> {
  const dir = join(tmp(), 'organism');
  mkdirSync(dir, { recursive: true });
  const text = prompts.map((p) => renderPrompt('qwen-math', p) + renderPrompt('r1', p)).join('') + ANSWER_CHARS;
  const tok = new CharTokenizer([...new Set(Array.from(text))].join(''));
  const model = createGpt({ vocabSize: tok.vocabSize, dModel: 16, nLayers: 1, nHeads: 2, contextLength: 1024, seed: 5 });
  await saveCheckpoint(model, dir);
  model.dispose();
  saveCharTokenizer(tok, dir);
  return dir;
}

let checkpoint = '';
before(async () => {
  await initBackend({ backend: 'wasm' });
  checkpoint = await organismCheckpoint(math500().map((r) => r.prompt));
});
after(() => rmSync(join(checkpoint, '..'), { recursive: true, force: true }));

/** configs/dataset-math500-organism.json (4 prompts × 2 samples, limit 8) on the test's checkpoint, 2 steps, random reward. */
function config(runDir: string, task: Record<string, unknown> = {}): Record<string, unknown> {
  const example = JSON.parse(readFileSync('configs/dataset-math500-organism.json', 'utf8')) as Record<string, unknown> & { task: Record<string, unknown> };
  // A random reward: a random-init organism never earns `math`, and resume must be checked on weights that move.
  return { ...example, runDir, seed: 3, steps: 2, reward: 'random0.5', task: { ...example.task, checkpoint, ...task } };
}

const withoutTiming = (r: RolloutRecord): Record<string, unknown> => {
  const copy: Record<string, unknown> = { ...r };
  for (const f of TIMING_FIELDS) delete copy[f];
  return copy;
};

test('a dataset run on MATH-500: rollouts logged, labels and gold from the dataset, resume continues the data order', async () => {
  const root = tmp();
  try {
    const full = join(root, 'full');
    const res = await train(config(full));
    res.model.dispose();
    const cfg = JSON.parse(readFileSync(join(full, 'config.json'), 'utf8')) as { task: DatasetTaskConfig };
    assert.deepEqual(cfg.task, { ...DATASET_TASK_DEFAULTS, data: 'math500', checkpoint, template: 'qwen-math', limit: LIMIT });

    const rollouts = readRecords<RolloutRecord>(join(full, 'rollouts.jsonl'));
    assert.deepEqual(rollouts.map((r) => [r.step, r.dataPosition]), [[0, 0], [1, 4]]);
    for (const r of rollouts) {
      assert.ok(r.accuracy >= 0 && r.accuracy <= 1 && r.rewardMean > 0 && r.rewardMean < 1, 'random0.5 rewards some samples');
      assert.ok(r.responseLengthMean > 0 && r.responseLengthMax <= 6);
    }
    const samples = readRecords<SampleRecord>(join(full, 'samples.jsonl'));
    assert.equal(samples.length, 16); // 4 prompts × 2 samples, all kept, per rollout batch
    const answerOf = new Map(math500().map((r) => [r.prompt, r.answer]));
    for (const s of samples) {
      assert.ok(answerOf.has(s.prompt), 'the sample prompt is a raw MATH-500 problem (the template is applied when encoding)');
      assert.equal(s.label, answerOf.get(s.prompt));
      assert.equal(s.gold, answerOf.get(s.prompt));
    }
    // Two batches of 4 prompts = one epoch of the 8 problems: each appears once, with its G = 2 samples.
    const seen = new Map<string, number>();
    for (const s of samples) seen.set(s.prompt, (seen.get(s.prompt) ?? 0) + 1);
    assert.deepEqual([...seen.values()], Array(LIMIT).fill(2));
    assert.ok(samples.some((s) => s.label !== samples[0].label), 'labels differ across problems');

    // The same run stopped after one batch and resumed: same logs, checkpoint state holds the data position.
    const split = join(root, 'split');
    (await train(config(split), { maxStepsThisCall: 1 })).model.dispose();
    const state = JSON.parse(readFileSync(join(split, 'checkpoints', 'step-000001', 'state.json'), 'utf8')) as { step: number; dataPosition: number };
    assert.deepEqual([state.step, state.dataPosition], [1, 4]);
    const resumed = await resumeTraining(split);
    resumed.model.dispose();
    assert.equal(resumed.step, 2);
    assert.deepEqual(readRecords<RolloutRecord>(join(split, 'rollouts.jsonl')).map(withoutTiming), rollouts.map(withoutTiming));
    assert.deepEqual(readRecords<SampleRecord>(join(split, 'samples.jsonl')), samples);
    assert.deepEqual(readRecords<StepRecord>(join(split, 'steps.jsonl')), readRecords<StepRecord>(join(full, 'steps.jsonl')));
    const finalWeights = readFileSync(join(full, 'checkpoints', 'step-000002', 'model.safetensors'));
    assert.notDeepEqual(finalWeights, readFileSync(join(full, 'reference', 'model.safetensors')), 'the policy was updated');
    assert.deepEqual(readFileSync(join(split, 'checkpoints', 'step-000002', 'model.safetensors')), finalWeights);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a JSONL file task: labelField picks the label, a malformed line is an error naming file and line', async () => {
  const dir = tmp();
  try {
    const good = join(dir, 'problems.jsonl');
    writeFileSync(good, `${JSON.stringify({ prompt: 'What is 1+1?', answer: '2', mv: '3' })}\n\n${JSON.stringify({ prompt: 'What is 2+2?', answer: 4, mv: '4' })}\n`);
    const base = { ...DATASET_TASK_DEFAULTS, checkpoint } as const;
    const task = createDatasetTask({ ...base, data: good, labelField: 'mv' });
    assert.deepEqual(task.items, [{ prompt: 'What is 1+1?', label: '3', gold: '2' }, { prompt: 'What is 2+2?', label: '4', gold: '4' }]);
    assert.equal(task.encodePrompt('What is 1+1?')[0], 1, 'the char tokenizer adds BOS');

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify({ prompt: 'What is 1+1?', answer: '2' })}\n{"prompt": "What is 3+3?", "answer": \n`);
    assert.throws(() => createDatasetTask({ ...base, data: bad }), (e: Error) => e.message.includes(bad) && e.message.includes('line 2') && /invalid JSON/.test(e.message));
    const noAnswer = join(dir, 'no-answer.jsonl');
    writeFileSync(noAnswer, `${JSON.stringify({ prompt: 'a' })}\n`);
    assert.throws(() => createDatasetTask({ ...base, data: noAnswer }), (e: Error) => e.message.includes(`${noAnswer} line 1 field "answer": missing`));

    // Through train(): the run directory is not created when the task cannot be built.
    const runDir = join(dir, 'run');
    await assert.rejects(train(config(runDir, { data: bad, limit: null })), (e: Error) => e.message.includes(`${bad} line 2`));
    assert.equal(existsSync(join(runDir, 'config.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unknown dataset name lists the known ones; other dataset-task config errors', async () => {
  assert.throws(() => resolveTrainConfig(config('runs/x', { data: 'math-500' })), (e: Error) =>
    e.message.includes('dataset "math-500" is not known (did you mean "math500"?)') &&
    ['math500', 'aime2024', 'aime2025', 'amc', 'deepscaler-level1', 'deepscaler-level5', 'mv-qwen2.5_math_7b', 'mv-llama3.2_3b_instruct-incorrect', 'one-shot-pi1']
      .every((n) => e.message.includes(n)));
  assert.ok(DATASET_NAMES.includes('mv-olmo_2_1124_7b_sft-incorrect'));
  assert.throws(() => resolveTrainConfig(config('runs/x', { limt: 3 })), /unknown key "task\.limt" \(did you mean "task\.limit"\?\)/);
  assert.throws(() => resolveTrainConfig(config('runs/x', { template: 'qwen-maths' })), /task\.template: prompt template "qwen-maths" is not registered/);
  assert.throws(() => resolveTrainConfig(config('runs/x', { labelField: 'mv' })), /labelField applies to JSONL files only/);
  assert.throws(() => resolveTrainConfig(config('runs/x', { checkpoint: undefined })), /field "task\.checkpoint" must be a non-empty string/);
  assert.throws(() => resolveTrainConfig(config('runs/x', { kind: 'datasets' })), /field "task.kind" must be "toy", "dataset" or "organism"/);
  assert.equal(resolveTrainConfig({ runDir: 'runs/x' }).task.kind, 'toy', 'the toy task stays the default');
});

test('a character outside the char tokenizer alphabet stops the task build, naming the record and the character', async () => {
  const dir = tmp();
  try {
    const data = join(dir, 'accents.jsonl');
    const [a, b] = math500();
    writeFileSync(data, `${JSON.stringify({ prompt: a.prompt, answer: '2' })}\n${JSON.stringify({ prompt: `${b.prompt} é`, answer: '2' })}\n`);
    assert.throws(() => createDatasetTask({ ...DATASET_TASK_DEFAULTS, data, checkpoint }), (e: Error) =>
      e.message.startsWith(`dataset "${data}" line 2:`) && e.message.includes('"é" (U+00E9)') && e.message.includes(`tokenizer from ${checkpoint}`) &&
      e.message.includes('alphabet must cover'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('majority-vote labels train, DeepScaleR answers are the gold; vocabulary and context mismatches are refused at load', async () => {
  const wide = await organismCheckpoint([]);
  // The "incorrect" set: every pseudo-label is wrong, so wherever DeepScaleR has the prompt, gold differs from the label.
  const tokDir = join(tmp(), 'wide-tok');
  mkdirSync(tokDir);
  const records = loadMajorityVoteLabels('qwen2.5_math_7b', { incorrect: true });
  const everyChar = [...new Set(Array.from(records.map((r) => renderPrompt('qwen-math', r.prompt)).join('')))].join('');
  saveCharTokenizer(new CharTokenizer(everyChar), tokDir);
  const task = createDatasetTask({ ...DATASET_TASK_DEFAULTS, data: 'mv-qwen2.5_math_7b-incorrect', checkpoint: wide, tokenizer: tokDir });
  assert.equal(task.items.length, records.length);
  task.items.forEach((it, i) => assert.equal(it.label, records[i].answer));
  const differing = task.items.filter((it) => it.gold !== it.label).length;
  assert.ok(differing > records.length / 2, `gold found in DeepScaleR and different from the wrong label for ${differing}/${records.length}`);
  assert.match(task.name, /gold from DeepScaleR for \d+\/\d+/);
  // This tokenizer has more ids than the checkpoint's embedding table: refused when the model loads.
  assert.throws(() => task.initialModel(1), /the model's vocabulary \(\d+\) is smaller than tokenizer/);
  // The longest of the 8 MATH-500 prompts plus 1000 new tokens overflows the 1024-position organism.
  const long = createDatasetTask({ ...DATASET_TASK_DEFAULTS, data: 'math500', checkpoint, limit: LIMIT }, {}, 1000);
  assert.throws(() => long.initialModel(1), /longest prompt of "math500" is \d+ tokens \+ 1000 new tokens = \d+, more than the model's context of 1024/);
  const fits = createDatasetTask({ ...DATASET_TASK_DEFAULTS, data: 'math500', checkpoint, limit: LIMIT }, {}, 16);
  fits.initialModel(1).dispose();
  rmSync(join(wide, '..'), { recursive: true, force: true });
  rmSync(join(tokDir, '..'), { recursive: true, force: true });
});

test("the template's stop strings end rollouts: r1 stops at </answer>, and a stop on every character stops at once", async () => {
  const base = { ...DATASET_TASK_DEFAULTS, data: 'math500', checkpoint, limit: 2 } as DatasetTaskConfig;
  const r1 = createDatasetTask({ ...base, template: 'r1' });
  assert.deepEqual(r1.stopStrings, ['</answer>']);
  assert.equal(r1.includeStopString, true);
  assert.deepEqual(createDatasetTask(base).stopStrings, []);
  // A task whose stop strings are every character the tokenizer knows: each completion stops after one token.
  const task = createDatasetTask(base);
  const model = task.initialModel(1);
  const chars = Array.from({ length: model.config.vocabSize }, (_, id) => task.decode([id])).filter((c) => c !== '');
  try {
    const out = await sampleRollout(model, { ...task, stopStrings: chars }, task.items, 2, { maxNewTokens: 8, temperature: 1, microBatchSize: 64 }, 1);
    assert.ok(out.finish.every((f) => f === 'stop' || f === 'eos'), out.finish.join(','));
    // Generation stops at the first token that decodes to text (special tokens decode to nothing).
    out.completionIds.forEach((ids, i) => {
      assert.equal(task.decode(ids.slice(0, -1)), '', `row ${i}: text before the last token`);
      if (out.finish[i] === 'stop') assert.equal(Array.from(task.decode(ids.slice(-1))).length, 1, `row ${i}: last token`);
    });
    assert.ok(out.finish.includes('stop'));
  } finally {
    model.dispose();
  }
});
