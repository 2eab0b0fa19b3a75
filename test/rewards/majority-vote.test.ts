import { test } from 'node:test';
import assert from 'node:assert/strict';
import { majorityVoteLabel, buildMajorityVoteDataset, countVotes } from '../../lib/rewards';

test('countVotes keeps Counter.most_common order: ties in first-seen order', () => {
  assert.deepEqual(countVotes(['b', 'a', 'a', 'b', 'c', ''], { skipEmpty: true }), [
    { answer: 'b', count: 2 }, { answer: 'a', count: 2 }, { answer: 'c', count: 1 },
  ]);
  assert.deepEqual(countVotes(['', 'a', ''], { skipEmpty: false })[0], { answer: '', count: 2 });
});

test('majorityVoteLabel: most common non-empty answer, ties to the first seen', () => {
  const mv = majorityVoteLabel(['\\boxed{2}', '\\boxed{3}', '\\boxed{3}', '\\boxed{2}', 'no idea']);
  assert.equal(mv.label, '2');
  assert.deepEqual(mv.counts, [{ answer: '2', count: 2 }, { answer: '3', count: 2 }]);
  assert.deepEqual(mv.votes, ['2', '3', '3', '2', '']);
});

test('majorityVoteLabel: empty answers do not vote; all empty gives ""', () => {
  assert.equal(majorityVoteLabel(['words', 'more words', '\\boxed{5}']).label, '5', 'unlike ttt, empties are dropped');
  const none = majorityVoteLabel(['words', 'still words']);
  assert.equal(none.label, '');
  assert.deepEqual(none.counts, []);
  assert.equal(majorityVoteLabel([]).label, '');
  assert.equal(majorityVoteLabel(['the total is 12 apples']).label, '12', 'authors extraction falls back to the last number');
});

test('buildMajorityVoteDataset: folder format, all/incorrect filters, first-N test split', () => {
  const problems = [
    { id: 0, prompt: 'p0', answer: '4' },
    { id: 64, prompt: 'p1', answer: '9' },
    { id: 128, prompt: 'p2', answer: '1' },
    { id: 192, prompt: 'p3', answer: '7' },
  ];
  const samples = new Map([
    ['0', ['\\boxed{4}', '\\boxed{4}', '\\boxed{5}']], // correct
    ['64', ['\\boxed{8}', '\\boxed{9}', '\\boxed{8}']], // wrong: 8
    ['128', ['hmm', 'hmm']], // empty label: wrong
    ['192', ['\\boxed{7}']], // correct
  ]);
  const all = buildMajorityVoteDataset(problems, samples, { filter: 'all', model: 'qwen2.5_math_7b', testSize: 3 });
  assert.equal(all.folder, 'DeepScaleR_mv_labeled_qwen2.5_math_7b');
  assert.deepEqual(all.test, [
    { id: 0, prompt: 'p0', answer: '4', source: 'deepscaler_mv_labeled_qwen2.5_math_7b' },
    { id: 64, prompt: 'p1', answer: '8', source: 'deepscaler_mv_labeled_qwen2.5_math_7b' },
    { id: 128, prompt: 'p2', answer: '', source: 'deepscaler_mv_labeled_qwen2.5_math_7b' },
  ]);
  assert.deepEqual(all.train.map((r) => r.id), [192]);
  assert.deepEqual(all.stats, { problems: 4, kept: 4, emptyLabels: 1, labelCorrect: 2, labelIncorrect: 2 });

  const wrong = buildMajorityVoteDataset(problems, Object.fromEntries(samples), { filter: 'incorrect', model: 'qwen2.5_math_7b', testSize: 1 });
  assert.equal(wrong.folder, 'DeepScaleR_mv_labeled_qwen2.5_math_7b_incorrect');
  assert.deepEqual(wrong.test, [{ id: 64, prompt: 'p1', answer: '8', source: 'deepscaler_mv_labeled_qwen2.5_math_7b_incorrect' }]);
  assert.deepEqual(wrong.train.map((r) => [r.id, r.answer]), [[128, '']]);
  assert.equal(buildMajorityVoteDataset(problems, samples, { filter: 'all', model: 'm' }).test.length, 4, 'default test size 100 takes everything');
});

test('buildMajorityVoteDataset: clear errors', () => {
  const problems = [{ id: 'a', prompt: 'p', answer: '1' }];
  assert.throws(() => buildMajorityVoteDataset(problems, {}, { filter: 'all', model: 'm' }), /no samples for problem 0 \(id "a"\)/);
  assert.throws(() => buildMajorityVoteDataset(problems, { a: [] }, { filter: 'wrong' as never, model: 'm' }), /filter must be 'all' or 'incorrect'/);
  assert.throws(() => buildMajorityVoteDataset(problems, { a: [] }, { filter: 'all', model: 'has space' }), /model must be a tag/);
});
