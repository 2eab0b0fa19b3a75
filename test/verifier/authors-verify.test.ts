// Authors mode end to end: authorsVerify (the paper's `math` reward as a Verdict), its safety caps, the
// dispatch from the public API, and agreement with the stored verdicts of the original Python (ref_ttrl).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorsExtractAnswer, authorsExtractBoxOnly, authorsGradeAnswer, authorsVerify } from '../../lib/verifier/authors';
import { answersEquivalent, extractAnswer, extractBoxedOnly, verify } from '../../lib/verifier';
import { loadVerifierCorpus } from '../../lib/data';

// Generous: these tests check verdicts, not speed on a loaded machine (bench/verifier-authors.ts does that).
const deadlineMs = 5000;

test('verdicts: equivalent, not_equivalent, no_answer, empty_gold', () => {
  assert.deepEqual(authorsVerify('so \\boxed{\\dfrac{1}{2}}', '0.5', { deadlineMs }), {
    correct: true,
    extracted: '\\frac{1}{2}',
    reason: 'equivalent',
  });
  assert.equal(authorsVerify('\\boxed{3}', '4', { deadlineMs }).reason, 'not_equivalent');
  assert.deepEqual(authorsVerify('no digits here', '4', { deadlineMs }), { correct: false, extracted: null, reason: 'no_answer' });
  // an empty label rewards a response that yields no answer at all (spec §3.10)
  assert.deepEqual(authorsVerify('no digits here', '', { deadlineMs }), { correct: true, extracted: null, reason: 'empty_gold' });
  assert.equal(authorsVerify('it is 5', '', { deadlineMs }).correct, false);
});

test('isPred grades the string as if the model had boxed it', () => {
  assert.equal(authorsVerify('1/2', '\\frac{1}{2}', { isPred: true, deadlineMs }).correct, true);
  assert.equal(authorsVerify('x = 025', '25', { isPred: true, deadlineMs }).correct, true);
  assert.equal(authorsVerify('7', '8', { isPred: true, deadlineMs }).correct, false);
});

test('the last-number fallback and the unclosed box make false positives, as in the original', () => {
  assert.equal(authorsVerify('We tried 3 and 5 ... then 42', '42', { deadlineMs }).correct, true);
  assert.equal(authorsVerify('\\boxed{{{{5', '5', { deadlineMs }).correct, true);
});

test('a label of A-D switches to the multiple-choice extractor', () => {
  assert.equal(authorsVerify('Comparing, the answer is (B).', 'B', { deadlineMs }).correct, true);
  assert.equal(authorsVerify('Comparing, the answer is (B).', 'C', { deadlineMs }).correct, false);
});

test('r1Style reads the text after the last <answer>', () => {
  const r = 'I think 7. <answer>12</answer>';
  assert.equal(authorsVerify(r, '12', { r1Style: true, deadlineMs }).correct, true);
  assert.equal(authorsVerify('<answer>12</answer> but maybe 7', '12', { r1Style: false, deadlineMs }).correct, false);
});

test('pathological inputs come back with a verdict instead of throwing or hanging', () => {
  const deep = `\\boxed{${'{'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
  const digits = `\\boxed{${'7'.repeat(20_000)}}`;
  const big = `${'The computation continues. '.repeat(8_000)}\\boxed{5}`;
  const fracs = `\\boxed{${'\\frac{1}{'.repeat(3_000)}2${'}'.repeat(3_000)}}`;
  // faithful, not sensible: _normalize drops every brace, so 10,000 nested braces around 1 grade as 1
  assert.equal(authorsVerify(deep, '1', { deadlineMs }).correct, true);
  assert.equal(authorsVerify(digits, '7', { deadlineMs }).correct, false);
  assert.equal(authorsVerify(big, '5', { deadlineMs }).correct, true);
  assert.equal(authorsVerify(fracs, '2', { deadlineMs }).correct, false);
  assert.equal(authorsVerify('x'.repeat(2_000_000), '1', { deadlineMs }).reason, 'limit_exceeded');
  assert.equal(authorsVerify(`\\boxed{${'('.repeat(60_000)}1}`, '1', { deadlineMs }).reason, 'limit_exceeded');
  for (const weird of ['\u0000\ufffd\u202e5', '\ud800\\boxed{\udc00}', '\\'.repeat(10_001), '$'.repeat(5_000)]) {
    const v = authorsVerify(weird, '5', { deadlineMs });
    assert.equal(typeof v.correct, 'boolean');
  }
});

test('the public API dispatches mode "authors" to this port', () => {
  const r = 'We add them up and the total is 1,234';
  assert.deepEqual(verify(r, '1234', { mode: 'authors', deadlineMs }), authorsVerify(r, '1234', { deadlineMs }));
  assert.equal(extractAnswer(r, { mode: 'authors' }), authorsExtractAnswer(r));
  assert.equal(extractAnswer('nothing', { mode: 'authors' }), null);
  assert.equal(extractBoxedOnly('so \\boxed{ }'), null);
  assert.equal(extractBoxedOnly('so \\boxed{x}'), authorsExtractBoxOnly('so \\boxed{x}'));
  assert.equal(answersEquivalent('\\frac{3}{6}', '\\frac{1}{2}', { mode: 'authors' }), authorsGradeAnswer('\\frac{3}{6}', '\\frac{1}{2}'));
  assert.equal(answersEquivalent('142', '142.0', { mode: 'authors' }), true);
});

test('agreement with the original Python (ref_ttrl) on the dev corpus: >= 99% overall, >= 97% per kind', () => {
  const items = loadVerifierCorpus().filter((it) => it.ref_ttrl !== null);
  const byKind = new Map<string, { n: number; agree: number }>();
  for (const it of items) {
    const isPred = it.pred !== undefined;
    const v = authorsVerify(isPred ? (it.pred as string) : (it.response as string), it.gold, { isPred, deadlineMs });
    const row = byKind.get(it.kind) ?? { n: 0, agree: 0 };
    row.n++;
    if (v.correct === it.ref_ttrl) row.agree++;
    byKind.set(it.kind, row);
  }
  const n = [...byKind.values()].reduce((a, r) => a + r.n, 0);
  const agree = [...byKind.values()].reduce((a, r) => a + r.agree, 0);
  assert.ok(n > 600, `${n} items`);
  assert.ok(agree / n >= 0.99, `overall ${agree}/${n}`);
  for (const [kind, r] of byKind) assert.ok(r.agree / r.n >= 0.97, `${kind}: ${r.agree}/${r.n}`);
});
