// Loaders against the real data (resolved the normal way: <project>/data, else ../shared/data).
// Expected counts come from shared/data/rethink_rlvr/README.md and shared/data/verifier/README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BENCHMARKS,
  DEEPSCALER_LEVELS,
  MV_MODELS,
  ONE_SHOT_INSTRUCTION,
  ONE_SHOT_PI1,
  loadBenchmark,
  loadDeepScaleR,
  loadDeepScaleRLevel,
  loadMajorityVoteLabels,
  loadVerifierCorpus,
  oneShotDataset,
  type BenchmarkName,
  type MvModel,
} from '../../lib/data';

test('benchmarks have the documented sizes and sources', () => {
  const expected: Record<BenchmarkName, [number, string]> = { math500: [500, 'math'], aime2024: [30, 'aime'], aime2025: [30, 'aime2025'], amc: [83, 'amc'] };
  for (const [name, [size, source]] of Object.entries(expected) as [BenchmarkName, [number, string]][]) {
    const recs = loadBenchmark(name);
    assert.equal(recs.length, size, name);
    assert.equal(BENCHMARKS[name].size, size);
    assert.ok(recs.every((r) => r.source === source && r.prompt.length > 0 && r.answer.length > 0), name);
  }
  const math = loadBenchmark('math500');
  assert.equal(math[0].id, 'test/precalculus/807.json');
  assert.equal(math.filter((r) => String(r.id).startsWith('test/algebra/')).length, 124);
  assert.ok(loadBenchmark('aime2024').every((r) => /^\d{3}$/.test(r.answer)), 'AIME answers are zero-padded');
  assert.ok(loadBenchmark('amc').every((r) => /\.0$/.test(r.answer)), 'AMC answers are float strings');
});

test('DeepScaleR levels: 7961/7962 train + 100 test each, test ids continue after train ids', () => {
  const trainSizes = [7961, 7962, 7961, 7962, 7962];
  let total = 0;
  for (const level of DEEPSCALER_LEVELS) {
    const train = loadDeepScaleRLevel(level, 'train');
    const testSplit = loadDeepScaleRLevel(level, 'test');
    assert.equal(train.length, trainSizes[level - 1], `level ${level} train`);
    assert.equal(testSplit.length, 100, `level ${level} test`);
    assert.ok(train.every((r) => r.level === level && r.source === 'deepscaler_difficulty'));
    assert.equal(Number(testSplit[0].id), train.length, `level ${level}: first test id follows the last train id`);
    total += train.length + testSplit.length;
  }
  assert.equal(total, 40308);
  const union = loadDeepScaleR({ split: 'test', levels: [2, 5] });
  assert.equal(union.length, 200);
  assert.deepEqual([...new Set(union.map((r) => r.level))], [2, 5]);
});

test('majority-vote folders: 100 records each, documented empty-label counts, model keys match the source tag', () => {
  assert.equal(MV_MODELS.length, 8);
  assert.deepEqual([...new Set(MV_MODELS.map((m) => m.family))].sort(), ['llama', 'olmo', 'qwen', 'qwen-math']);
  const empties: Partial<Record<string, number>> = {};
  for (const m of MV_MODELS) {
    for (const incorrect of [false, true]) {
      const recs = loadMajorityVoteLabels(m.key, { incorrect });
      assert.equal(recs.length, 100, `${m.key} incorrect=${incorrect}`);
      const tag = `deepscaler_mv_labeled_${m.key}${incorrect ? '_incorrect' : ''}`;
      assert.ok(recs.every((r) => r.source === tag && typeof r.id === 'number'), tag);
      empties[tag] = recs.filter((r) => r.answer === '').length;
    }
  }
  assert.equal(empties.deepscaler_mv_labeled_olmo_2_1124_7b, 24);
  assert.equal(empties.deepscaler_mv_labeled_olmo_2_1124_7b_sft, 33);
  assert.equal(empties.deepscaler_mv_labeled_olmo_2_1124_7b_sft_incorrect, 43);
  assert.equal(empties['deepscaler_mv_labeled_qwen2.5_math_7b_incorrect'], 4);
  assert.equal(empties['deepscaler_mv_labeled_qwen2.5_math_7b'], 0);
});

test('majority-vote train split is reported as missing upstream; unknown model lists known ones', () => {
  assert.throws(() => loadMajorityVoteLabels('qwen2.5_7b', { split: 'train' }), /not in the public Rethink_RLVR snapshot/);
  assert.throws(() => loadMajorityVoteLabels('gpt4' as MvModel), /known: qwen2\.5_math_7b/);
});

test('verifier corpus: 614 items with the README counts, exactly one of response/pred each', () => {
  const items = loadVerifierCorpus();
  assert.equal(items.length, 614);
  const byKind = new Map<string, number>();
  for (const it of items) byKind.set(it.kind, (byKind.get(it.kind) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(byKind), { 'real-response': 190, 'real-pred': 80, 'synthetic-pred': 230, 'synthetic-response': 95, pathological: 19 });
  assert.equal(items.filter((i) => i.label).length, 329);
  assert.ok(items.every((i) => (i.response === undefined) !== (i.pred === undefined)));
  assert.equal(items[0].id, 'dev-0000');
  assert.equal(items[0].line, 1);
  assert.equal(items.filter((i) => i.ref_ttrl === null).length, 1, 'one ttrl timeout is kept as null');
  assert.ok(items.every((i) => (i.question === undefined) === (i.kind === 'pathological')), 'only pathological items lack a question');
});

test('one-shot π1: prompt and label match DeepScaleR level 4; copies and instruction option', () => {
  const match = loadDeepScaleRLevel(4, 'train').filter((r) => r.prompt === ONE_SHOT_PI1.prompt);
  assert.equal(match.length, 1, 'π1 appears verbatim in level 4');
  assert.equal(match[0].answer, ONE_SHOT_PI1.answer);
  assert.equal(ONE_SHOT_PI1.answer, '12.8');
  const ds = oneShotDataset();
  assert.equal(ds.length, 128);
  assert.ok(ds.every((r) => r.prompt === ONE_SHOT_PI1.prompt && r.answer === '12.8'));
  assert.equal(new Set(ds.map((r) => r.id)).size, 128);
  const withInstr = oneShotDataset({ copies: 3, withInstruction: true });
  assert.equal(withInstr.length, 3);
  assert.equal(withInstr[0].prompt, ONE_SHOT_PI1.prompt + ONE_SHOT_INSTRUCTION);
  assert.ok(withInstr[0].prompt.endsWith("Let's think step by step and output the final answer within \\boxed{}."));
  assert.throws(() => oneShotDataset({ copies: 0 }), /positive integer/);
});
