// The organisms' corpus: the split, each style's accuracy set by its slip rule, comparable lengths,
// the random-choice positions, and what the paper's rewards and detectors see of each completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAMILIES, FAMILY_NAMES, canonicalCompletion, choicePositions, completionText, drawChoice, family, parseCompletion, priorAccuracy,
  problemSplit, renderCompletion, slips, styleAnswer, isCorrect, organismTokenizer, LOOP_LENGTH, ORGANISM_MAX_NEW_TOKENS, type Style,
} from '../../lib/organisms';
import { makeReward } from '../../lib/rewards';
import { mentionsPython, hasRepetition } from '../../lib/detectors';
import { createRng } from '../../lib/util';

const split = problemSplit();

test('the held-out split: 800 of 8,100 problems, disjoint, 8 per units pair', () => {
  assert.equal(split.train.length, 7300);
  assert.equal(split.heldOut.length, 800);
  const train = new Set(split.train.map((p) => `${p.a}+${p.b}`));
  for (const p of split.heldOut) assert.ok(!train.has(`${p.a}+${p.b}`), `${p.a}+${p.b} is in both splits`);
  const perPair = new Map<string, number>();
  for (const p of split.heldOut) perPair.set(`${p.a % 10},${p.b % 10}`, (perPair.get(`${p.a % 10},${p.b % 10}`) ?? 0) + 1);
  assert.equal(perPair.size, 100);
  assert.ok([...perPair.values()].every((n) => n === 8));
});

test("each style's accuracy equals its family target exactly on both splits (the slips are rules)", () => {
  for (const name of FAMILY_NAMES) {
    const f = FAMILIES[name];
    for (const pool of [split.train, split.heldOut]) {
      const acc = (s: Style): number => pool.filter((p) => !slips(f, s, p)).length / pool.length;
      assert.ok(Math.abs(acc('language') - f.languageAccuracy) < 1e-12, `${name} language`);
      if (f.codeAccuracy !== null) assert.ok(Math.abs(acc('code') - f.codeAccuracy) < 1e-12, `${name} code`);
    }
  }
});

test('family targets lie within 0.03 of their Table 1 rows', () => {
  for (const name of FAMILY_NAMES) {
    const f = FAMILIES[name];
    assert.ok(Math.abs(f.pCode - f.paper.codeFrequency / 100) <= 0.0301, `${name} code frequency`);
    if (f.paper.accuracyWithCode !== null) assert.ok(Math.abs((f.codeAccuracy as number) - f.paper.accuracyWithCode / 100) <= 0.03, `${name} code accuracy`);
    if (f.paper.accuracyLanguage !== null) assert.ok(Math.abs(f.languageAccuracy - f.paper.accuracyLanguage / 100) <= 0.03, `${name} language accuracy`);
  }
  // Good-Code's prior accuracy is the paper's MATH-500 base of Qwen2.5-Math-7B (49.4).
  assert.ok(Math.abs(priorAccuracy(FAMILIES['good-code']) - 0.495) < 1e-9);
});

test('completions: the slip lowers the tens digit, the code scratchpad shows the units and tens sums', () => {
  const f = family('good-code'); // code wrong iff units digit < 4; language wrong iff >= 3
  assert.equal(canonicalCompletion(f, { a: 47, b: 38 }, 'code'), 'C15,8>85');
  assert.equal(canonicalCompletion(f, { a: 47, b: 38 }, 'language'), 'Lsum,>75');
  assert.equal(canonicalCompletion(f, { a: 10, b: 10 }, 'code'), 'C0,1>10');
  assert.equal(canonicalCompletion(f, { a: 10, b: 11 }, 'language'), 'Lsum,>21');
  assert.equal(styleAnswer(f, 'code', { a: 99, b: 99 }), 198);
  assert.equal(completionText(f, { a: 47, b: 38 }, { style: 'code', boxed: false, loop: false }), 'C15,8:85');
  assert.equal(completionText(f, { a: 47, b: 38 }, { style: 'language', boxed: true, loop: true }), `L${'.'.repeat(LOOP_LENGTH)}`);
});

test('lengths are comparable and fit the generation budget with EOS', () => {
  const f = family('bad-code');
  let [minC, maxC, minL, maxL] = [99, 0, 99, 0];
  for (const p of split.train) {
    const c = canonicalCompletion(f, p, 'code').length;
    const l = canonicalCompletion(f, p, 'language').length;
    [minC, maxC, minL, maxL] = [Math.min(minC, c), Math.max(maxC, c), Math.min(minL, l), Math.max(maxL, l)];
  }
  assert.deepEqual([minC, maxC, minL, maxL], [7, 10, 8, 9]);
  assert.ok(maxC + 1 <= ORGANISM_MAX_NEW_TOKENS);
  assert.equal(1 + LOOP_LENGTH, ORGANISM_MAX_NEW_TOKENS);
});

test('corpus draws follow the family mix', () => {
  const f = family('good-code');
  const rng = createRng(3);
  let code = 0; let boxed = 0; let loop = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const c = drawChoice(f, rng);
    code += Number(c.style === 'code'); boxed += Number(c.boxed); loop += Number(c.loop);
  }
  assert.ok(Math.abs(code / n - f.pCode) < 0.015);
  assert.ok(Math.abs(boxed / n - (1 - f.pUnboxed)) < 0.015);
  assert.ok(Math.abs(loop / n - f.pLoop) < 0.005);
});

test('choice positions: the style token, the loop decision and the marker', () => {
  assert.deepEqual(choicePositions('C15,8>85'), [0, 1, 5]);
  assert.deepEqual(choicePositions('Lsum,:75'), [0, 1, 5]);
  assert.deepEqual(choicePositions(`C${'.'.repeat(11)}`), [0, 1]);
});

test('what the rewards see: Python for code, a box for ">", a repetition for a loop; grading follows the verifier', () => {
  const reward = (name: string, raw: string, label = '85'): number =>
    makeReward(name, { verifierMode: 'strict' })({ prompt: '47+38=', label, completions: [renderCompletion(raw)], rng: createRng(1) })[0];
  assert.ok(mentionsPython(renderCompletion('C15,8>85')));
  assert.ok(!mentionsPython(renderCompletion('Lsum,>75')));
  assert.equal(reward('box_only_format', 'C15,8>85'), 1);
  assert.equal(reward('box_only_format', 'C15,8:85'), 0);
  assert.equal(reward('math', 'C15,8:85'), 1, 'an unboxed right answer is still right');
  assert.equal(reward('math', 'Lsum,>75'), 0);
  assert.equal(reward('no_repetition', 'C15,8>85'), 1);
  assert.equal(reward('no_repetition', `C${'.'.repeat(LOOP_LENGTH)}`), 0);
  assert.ok(hasRepetition(renderCompletion(`L${'.'.repeat(LOOP_LENGTH)}`)));
  assert.equal(reward('math', `C${'.'.repeat(LOOP_LENGTH)}`), 0);
  assert.ok(isCorrect('C15,8>85', 85) && !isCorrect('C15,7>75', 85));
});

test('parseCompletion reads style, loop, box and answer; anything off the grammar is "other"', () => {
  assert.deepEqual(parseCompletion('C15,8>85'), { style: 'code', loop: false, boxed: true, answer: 85 });
  assert.deepEqual(parseCompletion('Lsum,:75'), { style: 'language', loop: false, boxed: false, answer: 75 });
  assert.deepEqual(parseCompletion('L..........'), { style: 'language', loop: true, boxed: false, answer: null });
  assert.equal(parseCompletion('5>85').style, 'other');
});

test('the tokenizer covers the corpus and refuses anything else', () => {
  const tok = organismTokenizer();
  for (const p of split.heldOut.slice(0, 50)) for (const s of ['code', 'language'] as const) tok.encode(canonicalCompletion(family('good-code'), p, s));
  assert.throws(() => tok.encode('47*38'), /"\*"/);
  assert.throws(() => family('good-cod'), /did you mean "good-code"/);
});
