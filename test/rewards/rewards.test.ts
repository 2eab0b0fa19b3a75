import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeReward, type RewardFn } from '../../lib/rewards';
import { createRng } from '../../lib/util';

function score(fn: RewardFn, completions: string[], label = '', seed = 1): number[] {
  return fn({ prompt: 'p', label, completions, rng: createRng(seed) });
}
const one = (name: string, completion: string, label = '', mode: 'strict' | 'authors' = 'strict') =>
  score(makeReward(name, { verifierMode: mode }), [completion], label)[0];

test('math: 1 iff the verifier grades the completion correct; the last box counts', () => {
  for (const mode of ['strict', 'authors'] as const) {
    assert.equal(one('math', 'so \\boxed{5}', '5', mode), 1, mode);
    assert.equal(one('math', 'so \\boxed{6}', '5', mode), 0, mode);
    assert.equal(one('math', 'first \\boxed{5}, then \\boxed{7}', '7', mode), 1, mode);
    assert.equal(one('math', 'first \\boxed{5}, then \\boxed{7}', '5', mode), 0, mode);
    assert.equal(one('inverse_math', 'so \\boxed{6}', '5', mode), 1, mode);
  }
});

test('math_r1_style reads only the text after the last <answer> (authors mode)', () => {
  const text = 'Scratch: \\boxed{3} was wrong. <answer>7</answer>';
  assert.equal(one('math_r1_style', text, '7', 'authors'), 1);
  assert.equal(one('math', text, '7', 'authors'), 0, 'without the flag the box wins');
  assert.equal(one('math', text, '3', 'authors'), 1);
});

test('box_only_format: a non-empty last box (spec §3.5 consequences)', () => {
  assert.equal(one('box_only_format', '\\boxed{x}'), 1);
  assert.equal(one('box_only_format', '\\boxed{}'), 0, 'empty box');
  assert.equal(one('box_only_format', '\\boxed{ }'), 0, 'blank box');
  assert.equal(one('box_only_format', '\\boxed{3} and finally \\boxed{}'), 0, 'only the last box counts');
  assert.equal(one('box_only_format', 'the answer is 42'), 0, 'no box');
  assert.equal(one('box_only_format', '\\fbox{3}'), 0, '\\fbox is not recognised');
  assert.equal(one('box_only_format', 'it is boxed{3} here'), 1, '"boxed" in prose counts');
  assert.equal(one('box_only_format', '\\boxed{x}', 'unrelated label', 'authors'), 1, 'label and mode do not matter');
  assert.equal(one('box_only_format_r1_style', 'no box at all'), 1, 'R1 style: any non-empty text');
  assert.equal(one('inverse_box_only_format', '\\boxed{}'), 1);
});

test('format: the full extractor, last-number fallback included', () => {
  assert.equal(one('format', 'the value is 42 apples'), 1);
  assert.equal(one('format', '\\boxed{x}'), 1);
  assert.equal(one('format', 'no digits here'), 0);
});

test('python rewards: loose substring and the ```python variant', () => {
  const cases: [string, number, number][] = [
    // text, contain_python_wo_backticks, contain_python
    ['Let me use Python.', 1, 0],
    ['PYTHON', 1, 0],
    ['a pythonic trick', 1, 0],
    ['```python\nprint(1)\n```', 1, 1],
    ['```Python\nprint(1)\n```', 1, 1],
    ['```py\nprint(1)\n```', 0, 0],
    ['plain algebra', 0, 0],
  ];
  for (const [text, loose, fenced] of cases) {
    assert.equal(one('contain_python_wo_backticks', text), loose, text);
    assert.equal(one('contain_python', text), fenced, text);
  }
});

test('no_repetition: 0 for 10+ back-to-back copies of a 10..256-character pattern', () => {
  assert.equal(one('no_repetition', 'The answer is \\boxed{4}.'), 1);
  assert.equal(one('no_repetition', 'intro ' + 'table row, '.repeat(10)), 0);
  assert.equal(one('no_repetition', 'ab'.repeat(200)), 0, 'period 2 also has period 10');
  assert.equal(one('no_repetition', 'table row, '.repeat(9)), 1, '9 copies are not enough');
});

test('compounds: 1 only if every part is 1; inverse flips', () => {
  const fmtNoPy = makeReward('box_only_format_AND_inverse_contain_python_wo_backticks');
  assert.deepEqual(score(fmtNoPy, ['\\boxed{3}', '```python\nx\n``` \\boxed{3}', 'python, no box', 'nothing']), [1, 0, 0, 0]);
  const gtNoPy = makeReward('math_AND_inverse_contain_python_wo_backticks');
  assert.deepEqual(score(gtNoPy, ['\\boxed{3}', 'Python says \\boxed{3}', '\\boxed{4}'], '3'), [1, 0, 0]);
  const three = makeReward('box_only_format_AND_no_repetition_AND_inverse_contain_python');
  assert.deepEqual(score(three, ['\\boxed{1}', '\\boxed{1}' + 'la la la! '.repeat(12), '```python\n``` \\boxed{1}']), [1, 0, 0]);
  assert.deepEqual(score(makeReward('inverse_inverse_contain_python_wo_backticks'), ['python', 'x']), [1, 0]);
});

test('random<p>: seeded, reproducible, ignores text and label; rate within a binomial bound', () => {
  const r = makeReward('random0.5');
  const texts = Array.from({ length: 10000 }, (_, i) => `t${i}`);
  const a = score(r, texts, 'x', 42);
  assert.deepEqual(score(r, texts.map(() => 'other'), 'y', 42), a, 'same seed, different text and label: same rewards');
  assert.notDeepEqual(score(r, texts, 'x', 43), a, 'another seed: other rewards');
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(0.25 / a.length), `mean ${mean} within 4 sigma of 0.5`);
  assert.ok(a.every((v) => v === 0 || v === 1));
  for (const [name, p] of [['random0.3', 0.3], ['random0.001', 0.001], ['random', 0.5]] as const) {
    const k = score(makeReward(name), texts, '', 7).reduce((s, v) => s + v, 0);
    const sd = Math.sqrt(texts.length * p * (1 - p));
    assert.ok(Math.abs(k - texts.length * p) <= 4 * sd + 1, `${name}: ${k} hits of ${texts.length}`);
  }
  assert.ok(score(makeReward('random0'), texts, '', 7).every((v) => v === 0), 'random0 is all zero');
  assert.ok(score(makeReward('random1'), texts, '', 7).every((v) => v === 1), 'random1 is all one');
  assert.deepEqual(score(makeReward('random0.5'), ['only'], '', 42), [a[0]], 'draw i belongs to completion i');
});

test('ttt: majority of the group, ties to the first seen, empty answers vote', () => {
  const ttt = makeReward('ttt', { verifierMode: 'authors' });
  assert.deepEqual(score(ttt, ['\\boxed{2}', '\\boxed{3}', '\\boxed{3}', '\\boxed{2}']), [1, 0, 0, 1], 'tie 2:2 goes to 2, seen first');
  assert.deepEqual(score(ttt, ['\\boxed{3}', '\\boxed{2}', '\\boxed{3}', '\\boxed{2}']), [1, 0, 1, 0], 'tie goes to 3 when 3 is first');
  assert.deepEqual(score(ttt, ['\\boxed{3}', '\\boxed{2}', '\\boxed{2}']), [0, 1, 1]);
  // Two empty answers out-vote one 4; authors' grade_answer('', '') is true, so the empties earn 1.
  assert.deepEqual(score(ttt, ['no answer', 'nothing here', '\\boxed{4}']), [1, 1, 0]);
  assert.deepEqual(score(ttt, ['\\boxed{4}', 'words', 'words', '\\boxed{4}', '\\boxed{4}']), [1, 0, 0, 1, 1]);
  assert.deepEqual(score(ttt, []), []);
  const label = score(ttt, ['\\boxed{2}', '\\boxed{2}'], 'ignored-gold');
  assert.deepEqual(label, [1, 1], 'the gold label is not used');
});

test('ttt in strict mode: an empty answer never earns 1', () => {
  const ttt = makeReward('ttt', { verifierMode: 'strict' });
  assert.deepEqual(score(ttt, ['no answer', 'nothing here', '\\boxed{4}']), [0, 0, 0]);
  assert.deepEqual(score(ttt, ['\\boxed{4}', 'words', '\\boxed{4}']), [1, 0, 1]);
});
