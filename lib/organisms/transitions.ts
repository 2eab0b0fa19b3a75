// Which problems carry an accuracy gain (the paper's Fig 7 and Table 2): each problem's reasoning
// style before and after training gives four transitions (code→code, code→language, language→code,
// language→language), and the gain splits into what each transition's problems add. In the paper a
// problem's style is a fact (one greedy answer at step 0, one at step 150). An organism chooses its
// style by a coin per problem: q(style) = p(style) / (p(C) + p(L)) from its first-token softmax, over
// the styles the family learned (as expectedCorrect does). A problem's transition is therefore a joint
// distribution over (style before, style after) with marginals q_before and q_after, and this module
// computes two of them:
//   minimal      each problem keeps as much of its style mass as it can: min(q0(s), q1(s)) stays in s,
//                the mass a style lost moves to the other one. No training, no transition. The analogue
//                of the paper's deterministic per-problem style: only what training moved switches.
//   independent  an independent sample before and after: q0(a)·q1(b). What two T = 1 samples of the
//                organism would show, sampling churn included (an untrained policy "switches" too).
// Whatever the coupling, the contributions add up exactly to the change in expected accuracy, because
// both couplings have the policies' style probabilities as marginals. Pure arithmetic: no tfjs.
import { tInterval, type TInterval } from '../eval';
import type { Style } from './corpus';
import type { FirstTokenProbs } from './metrics';

/** What a policy chooses on each problem and whether each choice answers right (PolicyStyles has this shape). */
export interface StyleChoice {
  probs: FirstTokenProbs;
  /** Per style the family learned, per problem: the forced-greedy answer is right. A style without an entry is never chosen. */
  correct: Partial<Record<Style, readonly boolean[]>>;
}

export type TransitionCoupling = 'minimal' | 'independent';

/** The four transitions in the paper's order (Table 2: C→C, C→L, L→C, L→L). */
export const TRANSITIONS: readonly { from: Style; to: Style; label: string }[] = Object.freeze([
  { from: 'code', to: 'code', label: 'code→code' },
  { from: 'code', to: 'language', label: 'code→language' },
  { from: 'language', to: 'code', label: 'language→code' },
  { from: 'language', to: 'language', label: 'language→language' },
]);

export interface TransitionPart {
  from: Style;
  to: Style;
  label: string;
  /** Expected fraction of the problems in this transition. */
  share: number;
  /** Accuracy inside the transition's problems before and after (weighted by the transition's mass; NaN when the share is 0). */
  accuracyBefore: number;
  accuracyAfter: number;
  /** What these problems add to the accuracy gain (a fraction of all problems; the parts sum to `gain`). */
  contribution: number;
}

export interface StyleTransitions {
  coupling: TransitionCoupling;
  problems: number;
  /** Expected accuracy before and after (equal to the mean of expectedCorrect on the same inputs). */
  before: number;
  after: number;
  gain: number;
  parts: TransitionPart[];
}

const STYLE_LIST: readonly Style[] = ['code', 'language'];

/** Per problem, q(code) and q(language) among the styles that have answers; throws when neither has probability. */
function styleShares(c: StyleChoice, n: number, which: string): { code: Float64Array; language: Float64Array } {
  for (const s of STYLE_LIST) {
    const xs = c.correct[s];
    if (xs !== undefined && xs.length !== n) throw new Error(`styleTransitions: ${which} has ${xs.length} ${s} answers for ${n} problems`);
  }
  if (c.probs.code.length !== n || c.probs.language.length !== n) throw new Error(`styleTransitions: ${which} has probabilities for ${c.probs.code.length} problems, expected ${n}`);
  const code = new Float64Array(n);
  const language = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const pc = c.correct.code === undefined ? 0 : c.probs.code[j];
    const pl = c.correct.language === undefined ? 0 : c.probs.language[j];
    const z = pc + pl;
    if (!(z > 0)) throw new Error(`styleTransitions: ${which}, problem ${j}: no style with an answer has probability (p(C) ${pc}, p(L) ${pl})`);
    code[j] = pc / z;
    language[j] = pl / z;
  }
  return { code, language };
}

/**
 * The joint mass of (before = a, after = b) on one problem from its style shares before (q0) and after
 * (q1). Minimal: a style keeps min(q0, q1) and what it lost goes to the other style (with two styles,
 * what a loses is exactly what b gains).
 */
function joint(coupling: TransitionCoupling, q0a: number, q1a: number, q1b: number, same: boolean): number {
  if (coupling === 'independent') return q0a * q1b;
  return same ? Math.min(q0a, q1a) : Math.max(0, q0a - q1a);
}

/**
 * The four transitions between two policies on the same problems (before: e.g. the organism; after:
 * a trained checkpoint), with their shares, inside-accuracies and contributions to the gain.
 */
export function styleTransitions(before: StyleChoice, after: StyleChoice, coupling: TransitionCoupling = 'minimal'): StyleTransitions {
  const n = before.probs.code.length;
  if (n === 0) throw new Error('styleTransitions: no problems');
  const q0 = styleShares(before, n, 'before');
  const q1 = styleShares(after, n, 'after');
  const right = (c: StyleChoice, s: Style, j: number): number => Number(c.correct[s]?.[j] ?? false);
  let accBefore = 0;
  let accAfter = 0;
  for (let j = 0; j < n; j++) {
    accBefore += q0.code[j] * right(before, 'code', j) + q0.language[j] * right(before, 'language', j);
    accAfter += q1.code[j] * right(after, 'code', j) + q1.language[j] * right(after, 'language', j);
  }
  const parts = TRANSITIONS.map(({ from, to, label }) => {
    let mass = 0;
    let correct0 = 0;
    let correct1 = 0;
    for (let j = 0; j < n; j++) {
      const w = joint(coupling, q0[from][j], q1[from][j], q1[to][j], from === to);
      mass += w;
      correct0 += w * right(before, from, j);
      correct1 += w * right(after, to, j);
    }
    return {
      from, to, label, share: mass / n,
      accuracyBefore: mass > 0 ? correct0 / mass : NaN, accuracyAfter: mass > 0 ? correct1 / mass : NaN,
      contribution: (correct1 - correct0) / n,
    };
  });
  return { coupling, problems: n, before: accBefore / n, after: accAfter / n, gain: (accAfter - accBefore) / n, parts };
}

export interface TransitionSummary {
  coupling: TransitionCoupling;
  /** Runs (seeds) summarised. */
  runs: number;
  /** 95 % Student-t intervals over runs (infinite with one run). */
  before: TInterval;
  after: TInterval;
  gain: TInterval;
  parts: {
    from: Style;
    to: Style;
    label: string;
    share: TInterval;
    contribution: TInterval;
    /** Means over the runs where the transition has mass (NaN when none has). */
    accuracyBefore: number;
    accuracyAfter: number;
    /**
     * The paper's partial contribution: this transition's net change in correct answers over the net
     * change on all problems, here mean contribution / mean gain over runs (NaN when the mean gain is 0;
     * meaningless when the gain is near 0, so the caller decides whether to show it).
     */
    partial: number;
  }[];
}

const meanFinite = (xs: readonly number[]): number => {
  const ok = xs.filter(Number.isFinite);
  return ok.length === 0 ? NaN : ok.reduce((a, b) => a + b, 0) / ok.length;
};

/** Several runs' transitions (e.g. one per seed of an arm) as means with 95 % t intervals over runs. */
export function summarizeTransitions(runs: readonly StyleTransitions[]): TransitionSummary {
  if (runs.length === 0) throw new Error('summarizeTransitions: no runs');
  const coupling = runs[0].coupling;
  if (runs.some((r) => r.coupling !== coupling)) throw new Error('summarizeTransitions: the runs use different couplings');
  const gain = tInterval(runs.map((r) => r.gain));
  return {
    coupling, runs: runs.length,
    before: tInterval(runs.map((r) => r.before)), after: tInterval(runs.map((r) => r.after)), gain,
    parts: TRANSITIONS.map(({ from, to, label }, i) => {
      const contribution = tInterval(runs.map((r) => r.parts[i].contribution));
      return {
        from, to, label,
        share: tInterval(runs.map((r) => r.parts[i].share)), contribution,
        accuracyBefore: meanFinite(runs.map((r) => r.parts[i].accuracyBefore)),
        accuracyAfter: meanFinite(runs.map((r) => r.parts[i].accuracyAfter)),
        partial: gain.mean === 0 ? NaN : contribution.mean / gain.mean,
      };
    }),
  };
}
