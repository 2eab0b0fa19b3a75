// The paper's numbers drawn beside the organisms: Figure 1 bars (exact where the text ties a bar to a
// reward, a candidate range otherwise), Figure 7's transitions (consistent with their panel totals) and
// Table 2 (shares of the gain that add up to 100 %).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paperGain, paperGainRange, PAPER_FIG7, PAPER_TABLE2 } from '../../lib/report';

test('Figure 1: Good-Code\'s bars are Qwen2.5-Math-7B\'s exact gains; ambiguous bars carry candidates and no value', () => {
  assert.equal(paperGain('good-code', 'ground-truth')?.value, 29.1);
  assert.equal(paperGain('good-code', 'format')?.value, 13.8);
  assert.equal(paperGain('good-code', 'random')?.value, 21.4);
  assert.equal(paperGain('bad-code', 'one-shot')?.value, 13.2);
  const r = paperGain('bad-code', 'random');
  assert.ok(r !== null && r.value === null && r.candidates.length === 6);
  assert.deepEqual(paperGainRange(r), { mean: (15.5 + 34.4) / 2, lo: 15.5, hi: 34.4 });
  assert.deepEqual(paperGainRange(paperGain('good-code', 'one-shot') ?? assert.fail('one-shot')), { mean: 26, lo: 26, hi: 26 });
  const ttt = paperGain('good-code', 'ttt');
  assert.ok(ttt !== null && ttt.value === null && paperGainRange(ttt) === null, 'Fig 4 gives no number');
  assert.equal(paperGain('no-code', 'ttt'), null);
  assert.equal(paperGain('good-code', 'random-no-clip'), null);
});

test('Figure 7: every panel has 500 problems, 325 of them in code at step 0; the mean gain is Table 2\'s +23.5', () => {
  for (const r of PAPER_FIG7) {
    const c = r.counts;
    assert.equal(c['code→code'] + c['code→language'], 325, r.arm);
    assert.equal(c['language→code'] + c['language→language'], 175, r.arm);
  }
  const gains = PAPER_FIG7.map((r) => r.accuracyAfter - r.accuracyBefore);
  assert.ok(Math.abs(gains.reduce((a, b) => a + b, 0) / gains.length - 23.5) < 0.1);
  // Step-150 code totals (§6.4): GT 237, MV 362, format 466, incorrect 430, random 410.
  const codeAfter = PAPER_FIG7.map((r) => r.counts['code→code'] + r.counts['language→code']);
  assert.deepEqual(codeAfter, [237, 362, 466, 430, 410]);
});

test('Table 2: partial contributions add up to 100 % per model', () => {
  for (const r of PAPER_TABLE2) {
    const sum = Object.values(r.partial).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 100) < 0.2, `${r.model}: ${sum}`);
  }
});
