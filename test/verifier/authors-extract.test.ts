// Authors mode, extraction: Qwen2.5-Math extract_answer + strip_string (spec §3.2) and the box-only variant
// of the `box_only_format` reward (spec §3.5). Expected values were checked against the original Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorsExtractAnswer,
  authorsExtractBoxOnly,
  authorsExtractChoice,
  qwenStripString,
} from '../../lib/verifier/authors';

test('the "ки" step tag is removed everywhere before anything else', () => {
  assert.equal(authorsExtractAnswer('The answer is 4\u043a\u0438'), '4');
  assert.equal(authorsExtractAnswer('\\boxed{1\u043a\u04382}'), '12');
});

test('Minerva form wins over a box; a box wins over "the answer is"; the last box counts', () => {
  assert.equal(authorsExtractAnswer('Final Answer: The final answer is $12$. I hope it is correct.'), '12');
  assert.equal(authorsExtractAnswer('\\boxed{3} so the final answer is $4$. I hope it is correct.'), '4');
  assert.equal(authorsExtractAnswer('The answer is 6, see \\boxed{5}'), '5');
  assert.equal(authorsExtractAnswer('\\boxed{3} and later \\boxed{5}'), '5');
});

test('an unbalanced box runs to the end of the text (and is accepted)', () => {
  assert.equal(authorsExtractAnswer('so \\boxed{\\frac{1}{2'), '\\frac{1}{2');
  assert.equal(authorsExtractAnswer('\\boxed{{{5'), '{{5');
});

test('a box without a brace reads up to the first $', () => {
  assert.equal(authorsExtractAnswer('$\\boxed 7$ done'), '7');
  assert.equal(authorsExtractAnswer('so \\boxed 12 and more$ x'), '12'); // "and" is deleted by strip_string
});

test('"he answer is" and "final answer is" take the rest of the text; a trailing period and leading colon go', () => {
  assert.equal(authorsExtractAnswer('The answer is 7.'), '7');
  assert.equal(authorsExtractAnswer('The answer is: 10'), '10');
  assert.equal(authorsExtractAnswer('My final answer is 9'), '9');
});

test('without any answer form the last number is taken, commas removed; none gives ""', () => {
  assert.equal(authorsExtractAnswer('We get 1,234 apples and then 5,678.5 oranges'), '5678.5');
  assert.equal(authorsExtractAnswer('it is -3 degrees'), '-3');
  assert.equal(authorsExtractAnswer('no digits here'), '');
});

test('R1 style: text after the last <answer>, then a character-SET rstrip of "</answer>"', () => {
  // the set {<,/,a,n,s,w,e,r,>} also eats the "ans" of "cans": only the raw box-only form shows it
  assert.equal(authorsExtractBoxOnly('Think. <answer>Final: 3 cans</answer>', true), 'Final: 3 c');
  assert.equal(authorsExtractAnswer('<answer>1</answer> reasoning <answer>42</answer>', true), '42');
  // without r1Style the same text falls back to the last number of the whole response
  assert.equal(authorsExtractAnswer('<answer>42</answer> and 7 more', false), '7');
});

test('strip_string: units, \\text, degrees, dollars, percent, prefixes, fraction and sqrt shorthand', () => {
  const cases: [string, string][] = [
    ['x = 5', '5'],
    ['k = 7', '7'],
    ['10\\%', '10'],
    ['3.000', '3'],
    ['\\frac12', '\\frac{1}{2}'],
    ['1/2', '\\frac{1}{2}'],
    ['1/-2', '\\frac{1}{-2}'],
    ['\\sqrt2', '\\sqrt{2}'],
    ['infinity', '\\infty'],
    ['90^\\circ', '90'],
    ['\\$5', '5'],
    ['5\\text{ cm}', '5'],
    ['\\left( 1, 2 \\right)', '(1,2)'],
    ['\\text{(B)}', '(B)'],
  ];
  for (const [input, want] of cases) assert.equal(qwenStripString(input), want, input);
});

test('strip_string quirks: single-letter "units" delete variables, number words become digits, AIME zero padding goes', () => {
  assert.equal(qwenStripString('\\dfrac{2ab}{a^2+b^2}'), '\\frac{2ab}{^2+b^2}');
  assert.equal(qwenStripString('a/b'), '/b');
  assert.equal(qwenStripString('five'), '5');
  assert.equal(qwenStripString('twenty three'), '23');
  assert.equal(qwenStripString('025'), '25');
  // word2number keeps only number words: "4 apples and 2 pears" has none, so only the units and "and" go
  assert.equal(qwenStripString('4 apples and 2 pears'), '42pears');
});

test('box-only extraction (spec §3.5): empty box, blank box, last box, \\fbox, prose "boxed"', () => {
  assert.equal(authorsExtractBoxOnly('so \\boxed{}'), '');
  assert.equal(authorsExtractBoxOnly('so \\boxed{ }'), '');
  assert.equal(authorsExtractBoxOnly('so \\boxed{x}'), 'x');
  assert.equal(authorsExtractBoxOnly('\\boxed{3} and then \\boxed{}'), '');
  assert.equal(authorsExtractBoxOnly('\\fbox{3}'), '');
  assert.equal(authorsExtractBoxOnly('I boxed{3} it'), '3');
  assert.equal(authorsExtractBoxOnly('The answer is 3'), ''); // no last-number fallback here
  // R1 style needs no box at all
  assert.equal(authorsExtractBoxOnly('no box, no tags, 12', true), 'no box, no tags, 12');
});

test('multiple-choice cleaner (used when the label is A-D): the last standalone letter', () => {
  assert.equal(authorsExtractChoice('I think it is (A), no, the answer is (B).'), 'B');
  assert.equal(authorsExtractChoice('no letter here.'), 'no letter here');
});
