// The paper's numbers that the organisms' notebooks draw beside their own (Shao et al. 2025, arXiv v1):
// Figure 1's MATH-500 gains per reward for the model each family mirrors, Figure 7's strategy
// transitions and Table 2's partial contributions. Where the paper's text does not tie a bar to a
// reward, the value is null and the candidates are the values the bar may have: a range to show, never
// a number to compare with.

/** One Figure 1 (or Figure 4) bar: the MATH-500 gain in percentage points after RLVR with a reward. */
export interface PaperGain {
  /** The model the family mirrors. */
  model: string;
  /** The gain in percentage points when the paper ties the bar to this reward; null otherwise. */
  value: number | null;
  /** When value is null: the values the bar may have (empty: the paper gives no number). */
  candidates: readonly number[];
  /** Where in the paper, and what to know about the number. */
  source: string;
}

const exact = (model: string, value: number, source: string): PaperGain => ({ model, value, candidates: [], source });
const among = (model: string, candidates: readonly number[], source: string): PaperGain => ({ model, value: null, candidates, source });
const none = (model: string, source: string): PaperGain => ({ model, value: null, candidates: [], source });

const QWEN_MATH = 'Qwen2.5-Math-7B';
const QWEN = 'Qwen2.5-7B';
const LLAMA = 'Llama3.1-8B-Instruct';
const QWEN_OTHERS = [34.4, 31.9, 27.8, 16.7, 16.4, 15.5];
const LLAMA_REST = [-2.1, -6.4, -8.3, -11.5];
const FIG1_QWEN = 'Fig 1: the text gives six values for Qwen2.5-7B\'s bars other than one-shot but does not say which reward has which';
const FIG1_LLAMA_REST = 'Fig 1: Llama3.1-8B-Instruct\'s four other bars are among these values; the text does not say which reward has which';

/** Figure 1 (and Figure 4 for online majority vote, arm "ttt") per family and arm. */
export const PAPER_GAINS: Readonly<Record<string, Readonly<Record<string, PaperGain>>>> = Object.freeze({
  'good-code': {
    'ground-truth': exact(QWEN_MATH, 29.1, 'Fig 1 (base 49.4)'),
    'majority-vote': exact(QWEN_MATH, 27.1, 'Fig 1'),
    'one-shot': exact(QWEN_MATH, 26.0, 'Fig 1'),
    incorrect: exact(QWEN_MATH, 24.1, 'Fig 1'),
    random: exact(QWEN_MATH, 21.4, 'Fig 1'),
    format: exact(QWEN_MATH, 13.8, 'Fig 1'),
    ttt: none(QWEN_MATH, 'Fig 4: TTRL helps Qwen models to about the ground-truth level; no number in the text (and it trains on test prompts)'),
  },
  'bad-code': {
    'ground-truth': among(QWEN, QWEN_OTHERS, FIG1_QWEN),
    'majority-vote': among(QWEN, QWEN_OTHERS, FIG1_QWEN),
    incorrect: among(QWEN, QWEN_OTHERS, FIG1_QWEN),
    format: among(QWEN, QWEN_OTHERS, FIG1_QWEN),
    random: among(QWEN, QWEN_OTHERS, FIG1_QWEN),
    'one-shot': exact(QWEN, 13.2, 'Fig 1 and App. A.6 (54.8 − 41.6)'),
    ttt: none(QWEN, 'Fig 4: TTRL helps Qwen models to about the ground-truth level; no number in the text'),
  },
  'no-code': {
    'ground-truth': among(LLAMA, [7.4, 7.2], 'Fig 1: ground truth and majority vote are +7.4 and +7.2, in an order the text does not give'),
    'majority-vote': among(LLAMA, [7.4, 7.2], 'Fig 1: ground truth and majority vote are +7.4 and +7.2, in an order the text does not give'),
    incorrect: among(LLAMA, LLAMA_REST, FIG1_LLAMA_REST),
    format: among(LLAMA, LLAMA_REST, FIG1_LLAMA_REST),
    random: among(LLAMA, LLAMA_REST, FIG1_LLAMA_REST),
    'one-shot': among(LLAMA, LLAMA_REST, FIG1_LLAMA_REST),
  },
});

/** The paper's bar for a family's arm, or null when the paper has none. */
export function paperGain(family: string, arm: string): PaperGain | null {
  return PAPER_GAINS[family]?.[arm] ?? null;
}

/** The bar's value, or the middle of its candidates' range with the range (null when the paper gives nothing). */
export function paperGainRange(g: PaperGain): { mean: number; lo: number; hi: number } | null {
  if (g.value !== null) return { mean: g.value, lo: g.value, hi: g.value };
  if (g.candidates.length === 0) return null;
  const lo = Math.min(...g.candidates);
  const hi = Math.max(...g.candidates);
  return { mean: (lo + hi) / 2, lo, hi };
}

/** Transition labels in Table 2's order. */
export type TransitionLabel = 'code→code' | 'code→language' | 'language→code' | 'language→language';

/** One reward's panel of Figure 7 (Qwen2.5-Math-7B, MATH-500, step 0 → step 150). */
export interface PaperTransitionRow {
  arm: string;
  /** Problems per transition (500 in all: 325 start in code). */
  counts: Readonly<Record<TransitionLabel, number>>;
  /** Accuracy change inside each transition's problems, percentage points. */
  deltaInside: Readonly<Record<TransitionLabel, number>>;
  accuracyBefore: number;
  accuracyAfter: number;
  /** Counts the figure's text does not show consistently, inferred from the panel's totals. */
  inferred: readonly TransitionLabel[];
}

const row = (arm: string, c: [number, number, number, number], d: [number, number, number, number], after: number, inferred: TransitionLabel[] = []): PaperTransitionRow => ({
  arm,
  counts: { 'code→code': c[0], 'code→language': c[1], 'language→code': c[2], 'language→language': c[3] },
  deltaInside: { 'code→code': d[0], 'code→language': d[1], 'language→code': d[2], 'language→language': d[3] },
  accuracyBefore: 49.4, accuracyAfter: after, inferred,
});

/** Figure 7, Qwen2.5-Math-7B: what the Good-Code family mirrors. */
export const PAPER_FIG7: readonly PaperTransitionRow[] = Object.freeze([
  row('ground-truth', [165, 160, 72, 103], [8.5, 20.0, 50.0, 60.2], 78.2),
  row('majority-vote', [243, 82, 119, 56], [9.9, 17.1, 57.1, 51.8], 76.4),
  row('format', [314, 11, 152, 23], [6.7, -18.2, 54.6, 34.8], 71.4),
  row('incorrect', [301, 24, 129, 46], [9.3, 16.7, 55.0, 39.1], 73.6, ['language→language']),
  row('random', [268, 57, 142, 33], [-3.3, 12.3, 45.1, 48.5], 65.0, ['code→language', 'language→code', 'language→language']),
]);

/** Table 2: partial contributions (percent of the gain) averaged over the rewards that shifted the strategy. */
export interface PaperPartialRow {
  model: string;
  /** The organism family that mirrors the model. */
  family: string;
  /** Average total gain, percentage points. */
  gain: number;
  partial: Readonly<Record<TransitionLabel, number>>;
}

export const PAPER_TABLE2: readonly PaperPartialRow[] = Object.freeze([
  { model: QWEN_MATH, family: 'good-code', gain: 23.5, partial: { 'code→code': 11.6, 'code→language': 8.6, 'language→code': 58.3, 'language→language': 21.4 } },
  { model: 'Qwen2.5-Math-1.5B', family: 'good-code-small', gain: 28.5, partial: { 'code→code': 2.8, 'code→language': 2.0, 'language→code': 78.7, 'language→language': 16.5 } },
  { model: QWEN, family: 'bad-code', gain: 30.6, partial: { 'code→code': 0.2, 'code→language': 93.9, 'language→code': 0.0, 'language→language': 5.9 } },
]);

/** What Figure 6 (and Fig 8) say about code frequency during RLVR, per family (the text gives few numbers). */
export const PAPER_CODE_FREQUENCY: Readonly<Record<string, { model: string; start: number; text: string }>> = Object.freeze({
  'good-code': {
    model: QWEN_MATH, start: 65.0,
    text: 'Fig 6: code frequency rises from 65% to about 90% within about 15 steps for every reward but random; random rises gradually and reaches 95.6%. '
      + 'With ground truth it first jumps, then falls back as language-only accuracy improves. Fig 8: the Python reward gives code in over 99% of answers after 20 steps.',
  },
  'bad-code': {
    model: QWEN, start: 92.2,
    text: 'Fig 6: Qwen2.5-7B\'s code frequency drops with ground truth, majority vote and incorrect labels, and a falling code share tracks its gains '
      + '(for OLMo2-7B-SFT it drops only with ground truth and majority vote).',
  },
  'no-code': { model: LLAMA, start: 0, text: 'Fig 6 and Table 1: No-Code models never write code, and their strategy does not change during RLVR.' },
});
