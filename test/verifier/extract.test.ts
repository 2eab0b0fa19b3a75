// Strict extraction: the labelling policy of shared/data/verifier (notes §3/§5, spec §3 edge cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnswer, verify } from '../../lib/verifier';

const ex = (s: string): string | null => extractAnswer(s);

test('the last complete \\boxed{} wins, with nested braces kept', () => {
  assert.equal(ex('First $\\boxed{3}$, then we fix it: $\\boxed{\\frac{1}{2}}$.'), '\\frac{1}{2}');
  assert.equal(ex('So $x = \\boxed{\\frac{\\sqrt{3}}{2}}$.'), '\\frac{\\sqrt{3}}{2}');
  assert.equal(ex('\\boxed {7}'), '7');
  assert.equal(ex('Hence the answer is $\\fbox{120.00}$.'), '120.00');
  assert.equal(ex('\\boxed{5} and later \\fbox{6}'), '6');
});

test('escaped braces do not count, and backslash parity decides what is a box', () => {
  assert.equal(ex('\\boxed{\\{1, 2\\}}'), '\\{1, 2\\}');
  assert.equal(ex('\\boxed{a \\} b}'), 'a \\} b');
  // An even run of backslashes is a line break followed by the word "boxed", not a command.
  assert.equal(ex('\\\\'.repeat(50) + 'boxed{3}'), null);
  assert.equal(ex('\\\\'.repeat(50) + '\\boxed{3}'), '3');
  // \\{ is an escaped backslash then a real brace: the box content is "\\\\".
  assert.equal(ex('\\boxed{\\\\}'), '\\\\');
});

test('a response cut off inside its last box has no answer (unclosed_box), even with an earlier box', () => {
  const r = 'The answer is \\boxed{100}. The answer is \\boxed{100}. The answer is \\boxed{1';
  assert.equal(ex(r), null);
  assert.equal(verify(r, '100').reason, 'unclosed_box');
  assert.equal(verify('Therefore $\\boxed{\\frac{', '7').reason, 'unclosed_box');
  assert.equal(verify('\\boxed{' + '{'.repeat(5000) + '5', '5').correct, false);
});

test('<answer> blocks: closed, unclosed at the very end, stray close tag, malformed tags', () => {
  assert.equal(ex('<think> reasoning </think> <answer> 12 </answer>'), '12');
  assert.equal(ex('reasoning </think>\n<answer>\\frac{3}{4}'), '\\frac{3}{4}');
  assert.equal(ex('work </think> $x+y=4-3=1$.\n</answer>'), '1');
  assert.equal(ex('</think> < answer > 10 </ answer >'), '10');
  assert.equal(ex('reflections </think> <answer> 2 \\endanswer>'), '2');
  assert.equal(ex('the values. answer>1.1 </answer>'), '1.1');
  assert.equal(ex('<answer> $\\boxed{632715}$ </answer>'), '632715');
  assert.equal(ex('<answer>5</answer> trailing junk 7 </answer>'), '5');
});

test('prose inside an answer block counts by the value it concludes with', () => {
  assert.equal(ex('<answer> Hence, the degree of $f$ is 3. </answer>'), '3');
  assert.equal(ex("<answer> I'll take 23 and 29. Yielding 29 as the answer. </answer>"), '29');
  assert.equal(ex('<answer> So the remainder is $6$. </answer>'), '6');
  assert.equal(ex('<answer> The square root of 100 is 10, so \\(\\sqrt{x} + \\frac{1}{\\sqrt{x}} = 10\\).</answer>'), '10');
  assert.equal(ex('<answer> f(-2)=5(-2)^2+3(-2)+4\n   20-6+4\n   18 </answer>'), '18');
});

test('a later block with no value does not override an earlier box', () => {
  assert.equal(ex('the minimum is $\\boxed{4}$.\n</think>\n<answer> Hint: rewrite the expression as above.\n</answer>'), '4');
  assert.equal(ex('\\boxed{9} ... <answer> answer here </answer>'), '9');
  assert.equal(ex('<answer> answer here </answer>'), null);
  assert.equal(ex('<answer> Hint: rewrite it as above, to make the infimum obvious.</answer>'), null);
  assert.equal(ex('The answer is enclosed within < answer ></answer>'), null);
  // A one-word block is a (text) answer.
  assert.equal(ex('<answer> Navin </answer>'), 'Navin');
});

test('"The answer is", "Answer:" and the Minerva form', () => {
  assert.equal(ex('Checking the cases.\n\nThe answer is \\pi-2.'), '\\pi-2');
  assert.equal(ex('Final Answer: The final answer is $\\frac{3\\cdot\\sqrt{6}}{2}$. I hope it is correct.'), '\\frac{3\\cdot\\sqrt{6}}{2}');
  assert.equal(ex('so we are done.\nAnswer: Karla would have saved 550 gallons of gasoline.'), '550');
  assert.equal(ex('The answer is 0.026..'), '0.026.');
  assert.equal(ex('**Answer:** 5'), '5');
  assert.equal(ex('The answer is: \\(\\frac{1}{2}\\)'), '\\frac{1}{2}');
});

test('an "answer is" remark after the box that holds prose does not override the box', () => {
  assert.equal(ex('So $\\boxed{5}$. The answer is correct because 5 + 3 = 8.'), '5');
  assert.equal(ex('So $\\boxed{5}$. The user confirms that the answer is in the correct format.'), '5');
});

test('a box holding prose is read by its value', () => {
  assert.equal(verify('Final answer: $\\boxed{\\text{The answer is } 22.0}$', '22').correct, true);
  assert.equal(verify('Final answer: $\\boxed{\\text{The answer is } \\dfrac{2}{9}}$', '\\frac{2}{9}').correct, true);
});

test('a concluding "... is $X$" sentence counts; an equation chain or a cut-off sentence does not', () => {
  assert.equal(ex('```output\n1.0\n```\nThe corrected code shows that the probability is $\\frac{1}{3}$, which confirms it'), '\\frac{1}{3}');
  assert.equal(ex('5. Therefore, the range is $(-\\infty, 0]$.\nanswer>'), '(-\\infty, 0]');
  assert.equal(ex('the total distance is $100 + 37 = 137$ miles.'), null);
  assert.equal(ex('Therefore, the largest \\( x \\)-value at which the graphs of \\('), null);
  assert.equal(ex('Now we compute the sum: $S_n = \\frac{n(n+1)}{2}$, so when $n = '), null);
});

test('no last-number fallback: loops, garbage and truncations have no answer', () => {
  assert.equal(ex('Let me reconsider the problem. '.repeat(200)), null);
  assert.equal(ex('We get 58500 plates. < tree ></ tree> < grid ></ grid>'.repeat(3)), null);
  assert.equal(verify('The total is 42 and so on', '42').reason, 'no_answer');
  assert.equal(ex(''), null);
});

test('isPred grades the string itself, as if it were boxed', () => {
  assert.equal(verify('\\frac{3}{6}', '\\frac12', { isPred: true }).correct, true);
  assert.equal(verify('', '2', { isPred: true }).reason, 'no_answer');
  assert.equal(verify('7', '', { isPred: true }).reason, 'empty_gold');
});

test('huge inputs: only the tail matters and the last box is found quickly', () => {
  const long = 'The computation continues. '.repeat(8000) + '\\boxed{5}';
  assert.equal(ex(long), '5');
  const boxes = '\\boxed{1} '.repeat(5000) + 'So the final answer is \\boxed{7}.';
  assert.equal(ex(boxes), '7');
});
