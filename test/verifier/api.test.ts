// The public API: verdict reasons, mode dispatch (strict vs the authors' port), describeVerdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeVerdict, extractAnswer, extractBoxedOnly, answersEquivalent, verify } from '../../lib/verifier';

test('verify gives a reason for every outcome', () => {
  assert.deepEqual(verify('so $\\boxed{\\frac{1}{2}}$', '0.5'), { correct: true, extracted: '\\frac{1}{2}', reason: 'equivalent' });
  assert.equal(verify('so $\\boxed{3}$', '4').reason, 'not_equivalent');
  assert.equal(verify('no answer here', '4').reason, 'no_answer');
  assert.equal(verify('\\boxed{\\frac{1', '4').reason, 'unclosed_box');
  assert.equal(verify('\\boxed{\\begin{array}{c} 1 \\end{array}}', '4').reason, 'unparseable');
  assert.equal(verify('\\boxed{10^{10^{10}}}', '100').reason, 'limit_exceeded');
  assert.equal(verify('\\boxed{4}', '  ').reason, 'empty_gold');
});

test('strict mode has no last-number fallback; authors mode (the paper\'s reward) does', () => {
  const r = 'We add them up and the total is 42';
  assert.equal(verify(r, '42').correct, false);
  // A generous deadline: this checks the dispatch, not the speed of a cold start.
  assert.equal(verify(r, '42', { mode: 'authors', deadlineMs: 10_000 }).correct, true);
  assert.equal(extractAnswer(r), null);
  assert.equal(extractAnswer(r, { mode: 'authors' }), '42');
});

test('authors mode reproduces its documented quirks: unreduced fractions are wrong, an unclosed box runs to the end', () => {
  assert.equal(answersEquivalent('\\frac{3}{6}', '\\frac{1}{2}', { mode: 'authors' }), false);
  assert.equal(answersEquivalent('\\frac{3}{6}', '\\frac{1}{2}'), true);
  assert.equal(verify('\\boxed{' + '{'.repeat(50) + '5', '5').correct, false);
});

test('extractBoxedOnly is the box-only format extraction: last box, empty when there is none', () => {
  assert.equal(extractBoxedOnly('a \\boxed{2} b \\boxed{x}'), 'x');
  assert.equal(extractBoxedOnly('The answer is 5'), null);
  assert.equal(extractBoxedOnly('\\boxed{}'), null);
});

test('describeVerdict is one line naming the outcome, the answer and the reason', () => {
  const ok = describeVerdict(verify('\\boxed{7}', '7'));
  assert.match(ok, /^correct: "7" \(equivalent/);
  const none = describeVerdict(verify('nothing', '7'));
  assert.match(none, /^wrong: no answer \(no final answer found\)$/);
  assert.ok(!describeVerdict(verify('\\boxed{' + '1'.repeat(500) + '}', '7')).includes('\n'));
  assert.ok(describeVerdict(verify('\\boxed{' + '1'.repeat(500) + '}', '7')).length < 200);
});
