// Issue 12's classes, as unit tests of strict extraction: a final answer stated in prose (a concluding sentence, a
// last equation, another language), degenerate endings that never commit (loops, templates, text cut off), and the
// loop detector itself. The labelled items of data/verifier/ cover the same classes at corpus scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractAnswer, verify } from '../../lib/verifier';
import { tailLoopStart } from '../../lib/verifier/degenerate';
import { Budget } from '../../lib/verifier/limits';

const ex = (s: string): string | null => extractAnswer(s);
const work = 'We set up the equation $2x + 6 = 4x - 2$, which gives $x = 4$.\n\n';

test('a concluding sentence in prose states the answer, units and all, with or without a final period', () => {
  assert.equal(verify(work + 'Therefore, the area is 36π square inches.', '36\\pi').correct, true);
  assert.equal(verify(work + 'so the probability is 1/8', '\\frac{1}{8}').correct, true);
  assert.equal(verify(work + 'Hence, there are 7 such integers.', '7').correct, true);
  assert.equal(verify(work + 'Consequently, the length is 2√3 cm.', '2\\sqrt{3}').correct, true);
  assert.equal(verify('... </think>\n\nAssistant: 10 grains of rice are in a teaspoon.', '10').correct, true);
  assert.equal(verify(work + 'Therefore, the area is 37 square inches.', '36').correct, false, 'a near miss stays wrong');
});

test('a last equation states its right-hand side', () => {
  assert.equal(ex(work + '\\[\n\\log_8 2 = \\frac{1}{3}\n\\]'), '\\frac{1}{3}');
  assert.equal(verify(work + 'Finally, $\\cos 0 = 1$', '1').correct, true);
  assert.equal(verify(work + '$$ f(3) = 10. $$', '10').correct, true);
  assert.equal(verify('</think> <answer> So $\\tan\\theta = 7$. </answer>', '7').correct, true, 'inside a short answer block too');
  assert.equal(ex(work + '\\[\n100 = 100 \\cdot 1 = '), null, 'an unclosed display is a cut-off computation');
  assert.equal(ex(work + 'We know $a < b$'), null, 'a relation is not a result');
});

test('"the answer is" and concluding sentences in other languages', () => {
  assert.equal(ex(work + '因此，答案是 10。'), '10');
  assert.equal(verify(work + '所以面积为 $\\frac{7}{2}$。', '\\frac72').correct, true);
  assert.equal(ex(work + 'Por lo tanto, la respuesta es 2.'), '2');
  assert.equal(verify(work + "Donc, l'aire du triangle est 16.", '16').correct, true);
  assert.equal(verify(work + 'Somit ist der gesuchte Wert 11/2.', '\\frac{11}{2}').correct, true);
  assert.equal(verify(work + 'Таким образом, ответ: 4.', '4').correct, true);
  assert.equal(verify(work + 'よって、答えは 8000 です。', '8000').correct, true);
  assert.equal(verify(work + '따라서 답은 12입니다.', '12').correct, true);
});

test('"Answer:" alone on its line takes the statement below it; a currency sign is not math', () => {
  assert.equal(verify('She has $400 - $100 = $300 left.\n\nAnswer:\n\n Julie had $300 left.', '300').correct, true);
  assert.equal(verify('It costs $8.00 and $3.00, which adds up to $11.00. </think> <answer> The total is $11.00. </answer>', '11').correct, true);
});

test('a sentence that only considers, assumes or asks about a value commits to nothing', () => {
  for (const tail of ['We still need to check whether 12 satisfies the second condition.', 'Let $x = 12$ and substitute it into the first equation',
    'Is the answer 12? Let me double-check the computation.', 'Suppose the area were 12; then the side length would have to be',
    'If we assume $n = 12$, the inequality becomes', 'We get 12 plates.']) {
    assert.equal(verify(work + tail, '12').correct, false, tail);
  }
});

test('text cut off mid-computation has no answer, even when its last number is the gold', () => {
  assert.equal(verify('Let me compute.\nSo the answer is the sum of the parts, which comes to 33 plus the', '33').correct, false);
  assert.equal(verify('Setup. </think> <answer> Adding the two parts gives 33 + 0 = 33, and then multiplying by', '33').correct, false);
  assert.equal(verify('</think> <answer> First we multiply: $3 \\times 4 = 12$, and then the remaining part is 12', '12').correct, false);
  assert.equal(ex('Therefore, the largest \\( x \\)-value at which the graphs of \\('), null);
  assert.equal(ex(work + 'so we get 12 apples'), null, 'unfinished, and no subject is said to equal 12');
  assert.equal(ex('reasoning </think>\n<answer> 72'), '72', 'a short unclosed block holding just a value still counts');
});

test('a response ending in a loop keeps only what it stated before the loop', () => {
  assert.equal(verify('We compute the total.\n' + 'The value is $33$.\n'.repeat(30), '33').correct, false);
  assert.equal(verify('Counting: ' + '33, '.repeat(80), '33').correct, false);
  assert.equal(verify('We add 30 + 3 = 33. </think> <answer> answer here </answer>\n' + '<think> reasoning process here </think> <answer> answer here </answer>\n'.repeat(12), '33').correct, false);
  assert.equal(verify('</think> <answer> 81 </answer>' + ' < think > < site >'.repeat(40), '81').correct, true, 'an answer block before the loop counts');
  assert.equal(verify('Work. ' + '< answer > 720</ answer > '.repeat(30) + '< answer > 72', '720').correct, false, 'looping over its own answer is no answer');
});

test('tailLoopStart finds where a loop running to the end begins, and nothing in ordinary text', () => {
  const budget = new Budget(1000);
  const head = 'Some reasoning first. ';
  // The loop starts at a token boundary: here at the head's last space, which the unit "think " also ends with.
  assert.equal(tailLoopStart(head + 'think '.repeat(40), budget), head.length - 1);
  assert.equal(tailLoopStart(head + 'The value is 5.\n'.repeat(10) + 'The val', budget), head.length, 'the last copy may be cut off');
  assert.equal(tailLoopStart('<answer> 81 </answer>' + ' < site >'.repeat(20), budget), '<answer> 81 </answer>'.length, 'the close tag stays whole');
  assert.equal(tailLoopStart(head + 'The answer is 5. The answer is 5.', budget), -1, 'a doubled sentence is not a loop');
  assert.equal(tailLoopStart(work + 'Therefore, the answer is \\boxed{4}.', budget), -1);
  assert.equal(tailLoopStart('', budget), -1);
  const t0 = performance.now();
  assert.equal(tailLoopStart('abcdefghij'.repeat(20000) + 'x', budget), -1);
  assert.ok(performance.now() - t0 < 500, 'bounded work on 200 KB without a loop at its end');
});
