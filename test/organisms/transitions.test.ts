// Style transitions (Fig 7 / Table 2 on organisms): shares, inside-accuracies and contributions for
// the minimal and the independent coupling; the contributions add up to the change in expected
// accuracy (mean of expectedCorrect) exactly; hard styles reproduce the paper's counting; the per-problem
// measurements of a real organism (policyStyles, sampleCompletions) agree with evaluateOrganism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  defaultOrganismDir, evaluateOrganism, expectedCorrect, family, loadOrganismModel, parseCompletion, policyStyles, problemSplit, sampleCompletions, styleTransitions,
  summarizeTransitions, TRANSITIONS, type StyleChoice, type StyleTransitions,
} from '../../lib/organisms';
import { tInterval } from '../../lib/eval';
import { initBackend } from '../../lib/tensor';

const choice = (code: number[], correctCode: boolean[] | null, correctLanguage: boolean[] | null): StyleChoice => ({
  probs: { code: Float64Array.from(code), language: Float64Array.from(code, (c) => 1 - c) },
  correct: { ...(correctCode === null ? {} : { code: correctCode }), ...(correctLanguage === null ? {} : { language: correctLanguage }) },
});
const part = (t: StyleTransitions, label: string) => {
  const p = t.parts.find((x) => x.label === label);
  assert.ok(p !== undefined, label);
  return p;
};
const mean = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const close = (a: number, b: number, what: string, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('hard styles: the paper\'s counting (subset sizes, accuracies inside, net change in correct answers)', () => {
  // 4 problems: code right on 0,1; language right on 2,3. Before: C C L L; after: C L C C.
  const correctCode = [true, true, false, false];
  const correctLanguage = [false, false, true, true];
  const t = styleTransitions(choice([1, 1, 0, 0], correctCode, correctLanguage), choice([1, 0, 1, 1], correctCode, correctLanguage));
  assert.deepEqual(t.parts.map((p) => p.label), TRANSITIONS.map((x) => x.label));
  close(t.before, 1, 'before: every problem in its right style');
  close(t.after, 0.25, 'after: only problem 0 right');
  close(part(t, 'code→code').share, 0.25, 'C→C share');
  close(part(t, 'code→language').share, 0.25, 'C→L share');
  close(part(t, 'language→code').share, 0.5, 'L→C share');
  assert.equal(part(t, 'language→language').share, 0);
  assert.ok(Number.isNaN(part(t, 'language→language').accuracyBefore), 'an empty subset has no accuracy');
  close(part(t, 'code→language').accuracyBefore, 1, 'C→L before');
  close(part(t, 'code→language').accuracyAfter, 0, 'C→L after');
  close(part(t, 'language→code').contribution, -0.5, 'L→C: two right answers lost out of 4 problems');
  close(part(t, 'code→language').contribution, -0.25, 'C→L: one lost');
  close(part(t, 'code→code').contribution, 0, 'C→C');
  close(t.gain, -0.75, 'gain: the sum of the contributions');
  // Hard styles: both couplings agree.
  const ind = styleTransitions(choice([1, 1, 0, 0], correctCode, correctLanguage), choice([1, 0, 1, 1], correctCode, correctLanguage), 'independent');
  for (const p of t.parts) close(part(ind, p.label).share, p.share, `independent ${p.label}`);
});

test('minimal coupling: an unchanged policy has no switches; independent shows churn q(1 − q) that contributes nothing net', () => {
  const pol = choice([0.65, 0.65], [true, false], [false, true]);
  const m = styleTransitions(pol, pol, 'minimal');
  close(part(m, 'code→code').share, 0.65, 'stays code');
  close(part(m, 'language→language').share, 0.35, 'stays language');
  assert.equal(part(m, 'code→language').share, 0);
  assert.equal(part(m, 'language→code').share, 0);
  const ind = styleTransitions(pol, pol, 'independent');
  close(part(ind, 'code→language').share, 0.65 * 0.35, 'independent churn C→L');
  close(part(ind, 'language→code').share, 0.35 * 0.65, 'independent churn L→C');
  close(part(ind, 'code→language').contribution + part(ind, 'language→code').contribution, 0, 'churn cancels');
  close(ind.gain, 0, 'no gain');
});

test('minimal coupling: a rise of p(code) from 0.65 to 0.95 moves exactly 0.30 of each problem from language to code', () => {
  const correctCode = [true, true, true, false];
  const correctLanguage = [false, false, true, true];
  const t = styleTransitions(choice([0.65, 0.65, 0.65, 0.65], correctCode, correctLanguage), choice([0.95, 0.95, 0.95, 0.95], correctCode, correctLanguage));
  close(part(t, 'language→code').share, 0.3, 'L→C', 1e-12);
  close(part(t, 'code→code').share, 0.65, 'C→C', 1e-12);
  close(part(t, 'language→language').share, 0.05, 'L→L', 1e-12);
  assert.equal(part(t, 'code→language').share, 0);
  // L→C on problems 0,1: language wrong, code right (+0.3 each); problem 2 both right (0); problem 3 code wrong (−0.3).
  close(part(t, 'language→code').contribution, (0.3 + 0.3 + 0 - 0.3) / 4, 'L→C contribution', 1e-12);
  close(part(t, 'language→code').accuracyBefore, 0.5, 'language right on 2 of the 4', 1e-12);
  close(part(t, 'language→code').accuracyAfter, 0.75, 'code right on 3 of the 4', 1e-12);
});

test('no-code families: a style without answers is never chosen, so everything is language→language', () => {
  const t = styleTransitions(choice([0.001, 0.2], null, [true, false]), choice([0.3, 0.0], null, [true, true]));
  close(part(t, 'language→language').share, 1, 'all L→L');
  close(t.gain, 0.5, 'problem 1 became right');
  close(part(t, 'language→language').contribution, 0.5, 'L→L carries it');
});

test('both couplings: shares sum to 1, contributions to the gain, and the gain is the change in mean expectedCorrect', () => {
  const arb = fc.integer({ min: 1, max: 12 }).chain((n) => {
    const probs = fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), { minLength: n, maxLength: n });
    const bools = fc.array(fc.boolean(), { minLength: n, maxLength: n });
    return fc.tuple(probs, bools, bools, probs, bools, bools);
  });
  fc.assert(fc.property(arb, ([p0, c0, l0, p1, c1, l1]) => {
    const before = choice(p0, c0, l0);
    const after = choice(p1, c1, l1);
    const e0 = mean(expectedCorrect(before.probs, before.correct));
    const e1 = mean(expectedCorrect(after.probs, after.correct));
    for (const coupling of ['minimal', 'independent'] as const) {
      const t = styleTransitions(before, after, coupling);
      close(t.before, e0, `${coupling} before`, 1e-9);
      close(t.after, e1, `${coupling} after`, 1e-9);
      close(t.parts.reduce((a, p) => a + p.share, 0), 1, `${coupling} shares`, 1e-9);
      close(t.parts.reduce((a, p) => a + p.contribution, 0), e1 - e0, `${coupling} contributions`, 1e-9);
      // Marginals: the problems that start in code are C→C + C→L.
      close(part(t, 'code→code').share + part(t, 'code→language').share, mean(p0), `${coupling} code before`, 1e-9);
      close(part(t, 'code→code').share + part(t, 'language→code').share, mean(p1), `${coupling} code after`, 1e-9);
    }
  }), { numRuns: 200 });
});

test('inputs of different lengths, or a problem where no style with answers has probability, are refused', () => {
  assert.throws(() => styleTransitions(choice([0.5], [true], [false]), choice([0.5, 0.5], [true, true], [false, false])), /probabilities for 2 problems, expected 1|1 code answers|2 code answers/);
  assert.throws(() => styleTransitions(choice([1], [true], null), choice([0], [true], null)), /no style with an answer has probability/);
});

test('summarizeTransitions: t intervals over runs and the partial contribution as a ratio of means', () => {
  const cc = [true, true, false, false];
  const ll = [false, false, true, true];
  const start = choice([0.5, 0.5, 0.5, 0.5], cc, ll);
  const runs = [0.7, 0.8, 0.9].map((q) => styleTransitions(start, choice([q, q, q, q], cc, ll)));
  const s = summarizeTransitions(runs);
  assert.equal(s.runs, 3);
  const lc = s.parts.find((p) => p.label === 'language→code');
  assert.ok(lc !== undefined);
  const want = tInterval([0.2, 0.3, 0.4]);
  close(lc.share.mean, want.mean, 'L→C share mean', 1e-12);
  close(lc.share.lo, want.lo, 'L→C share lo', 1e-12);
  // Each run's gain is 0 (L→C gains on 0,1 and loses on 2,3): the partial contribution is undefined.
  close(s.gain.mean, 0, 'gain', 1e-12);
  assert.ok(Number.isNaN(lc.partial));
  const up = summarizeTransitions([0.7, 0.8].map((q) => styleTransitions(start, choice([q, q, q, q], [true, true, true, false], ll))));
  const lcUp = up.parts.find((p) => p.label === 'language→code');
  assert.ok(lcUp !== undefined);
  close(lcUp.partial, lcUp.contribution.mean / up.gain.mean, 'ratio of means', 1e-12);
  assert.throws(() => summarizeTransitions([]), /no runs/);
  assert.throws(() => summarizeTransitions([runs[0], styleTransitions(start, start, 'independent')]), /different couplings/);
});

test('policyStyles and sampleCompletions on the shipped Good-Code organism agree with evaluateOrganism', { timeout: 120_000 }, async () => {
  await initBackend({ backend: 'wasm' });
  const f = family('good-code');
  const problems = problemSplit().heldOut.slice(0, 64);
  const model = loadOrganismModel(defaultOrganismDir('good-code'));
  try {
    const e = await evaluateOrganism(model, f, problems, 7);
    const ps = await policyStyles(model, f, problems);
    assert.deepEqual(Object.keys(ps.correct).sort(), ['code', 'language']);
    close(mean(expectedCorrect(ps.probs, ps.correct)), e.expectedAccuracy, 'expected accuracy', 1e-12);
    const same = styleTransitions(ps, ps);
    close(same.before, e.expectedAccuracy, 'transitions before = expected accuracy', 1e-12);
    assert.equal(same.gain, 0);
    // The same seed draws the same completions that sampledMetrics graded.
    const texts = await sampleCompletions(model, problems, 7);
    assert.equal(texts.length, problems.length);
    const code = texts.filter((t) => parseCompletion(t).style === 'code').length;
    assert.equal(code, e.sampled?.codeFrequency.k);
  } finally {
    model.dispose();
  }
});
