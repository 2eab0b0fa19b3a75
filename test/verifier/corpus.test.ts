// Regression guard on the labelled dev corpus (shared/data/verifier/dev.jsonl via lib/data): floors set a little
// below what strict mode reaches (99.7% overall, 1 false positive of 614 at the time of writing); and the
// issue-12 targets on the lab's own additions (data/verifier/additions-{dev,heldback}.jsonl, 100% at the time of writing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadVerifierCorpus, verifierAdditionsPath } from '../../lib/data';
import { accuracyMatrix, scoreCorpus, tallyByKind } from '../../lib/verifier';

const items = loadVerifierCorpus();
// A generous deadline: these tests check verdicts; cold-start speed under a loaded machine is the bench's business.
const deadlineMs = 2000;

test('strict mode: accuracy >= 97% overall and >= 95% in every kind, false positives <= 1%', () => {
  const rows = scoreCorpus(items, { modes: ['strict'], references: false, deadlineMs });
  const all = rows.find((r) => r.kind === 'all');
  assert.ok(all, 'an all row');
  assert.equal(all.n, items.length);
  assert.ok(all.accuracy >= 0.97, `accuracy ${(100 * all.accuracy).toFixed(1)}%`);
  assert.ok(all.falsePositives / all.n <= 0.01, `${all.falsePositives} false positives`);
  for (const r of rows) assert.ok(r.accuracy >= 0.95, `${r.kind}: ${(100 * r.accuracy).toFixed(1)}%`);
});

test('without the trailing-period items strict mode holds the same floor; the references are tallied from stored verdicts', () => {
  const rows = scoreCorpus(items, { modes: ['strict'], withoutTrailingPeriod: true, deadlineMs });
  const strict = rows.find((r) => r.kind === 'all' && r.grader === 'strict');
  const mv = rows.find((r) => r.kind === 'all' && r.grader === 'ref_mathverify');
  assert.ok(strict && mv);
  assert.ok(strict.n < items.length && strict.n > items.length - 60, `${strict.n} items`);
  assert.ok(strict.accuracy >= 0.97);
  // The references' verdicts are data, not computed here: their tally must match a direct count.
  const direct = items.filter((it) => !(it.transform ?? '').includes('trailing-period')).filter((it) => (it.ref_mathverify === true) === it.label).length;
  assert.equal(mv.correct, direct);
});

test('the lab\'s additions (data/verifier/): strict mode meets the targets on both files, held-back included', () => {
  // additions-dev was tuned on; additions-heldback never was (new problems and new phrasings), so its floor is the
  // issue's target for unseen items: >= 98% accuracy and <= 0.5% false positives (none, at 127 items).
  for (const split of ['dev', 'heldback'] as const) {
    const extra = loadVerifierCorpus({ file: verifierAdditionsPath(split) });
    assert.ok(extra.length >= 100, `${split}: ${extra.length} items`);
    assert.ok(extra.every((it) => it.ref_ttrl === null), `${split}: no reference verdicts are stored for the additions`);
    const all = scoreCorpus(extra, { modes: ['strict'], references: false, deadlineMs }).find((r) => r.kind === 'all');
    assert.ok(all);
    assert.ok(all.accuracy >= 0.98, `${split}: accuracy ${(100 * all.accuracy).toFixed(1)}%`);
    assert.ok(all.falsePositives / all.n <= 0.005, `${split}: ${all.falsePositives} false positives`);
  }
});

test('the additions and dev.jsonl share no item text (the held-back file adds problems of its own)', () => {
  const text = (it: { response?: string; pred?: string; gold: string }): string => `${it.response ?? it.pred}\u0000${it.gold}`;
  const dev = new Set(items.map(text));
  const heldback = loadVerifierCorpus({ file: verifierAdditionsPath('heldback') });
  const tuned = new Set(loadVerifierCorpus({ file: verifierAdditionsPath('dev') }).map((it) => it.question).filter((q) => q !== undefined));
  assert.deepEqual(heldback.filter((it) => dev.has(text(it))).map((it) => it.id), []);
  assert.deepEqual(heldback.filter((it) => it.question !== undefined && tuned.has(it.question)).map((it) => it.id), [], 'no problem in both additions files');
});

test('tallyByKind counts false positives and false negatives separately', () => {
  const t = tallyByKind([
    { kind: 'a', label: true, verdict: true },
    { kind: 'a', label: false, verdict: true },
    { kind: 'b', label: true, verdict: false },
  ]);
  assert.deepEqual(t.map((r) => [r.kind, r.n, r.correct, r.falsePositives, r.falseNegatives]), [['a', 2, 1, 1, 0], ['b', 1, 0, 0, 1], ['all', 3, 1, 1, 1]]);
});

test('accuracyMatrix pivots per-grader rows to one row per kind with a column per grader', () => {
  const rows = accuracyMatrix([
    { kind: 'a', grader: 'strict', n: 4, correct: 3, accuracy: 0.75, falsePositives: 1, falseNegatives: 0 },
    { kind: 'all', grader: 'strict', n: 4, correct: 3, accuracy: 0.75, falsePositives: 1, falseNegatives: 0 },
    { kind: 'a', grader: 'ref_ttrl', n: 4, correct: 2, accuracy: 0.5, falsePositives: 0, falseNegatives: 2 },
    { kind: 'all', grader: 'ref_ttrl', n: 4, correct: 2, accuracy: 0.5, falsePositives: 0, falseNegatives: 2 },
  ]);
  assert.deepEqual(rows, [
    { kind: 'a', n: 4, strict: 0.75, ref_ttrl: 0.5 },
    { kind: 'all', n: 4, strict: 0.75, ref_ttrl: 0.5 },
  ]);
});
