// Exact and sampled metrics of an organism policy on a fixed problem set.
// - firstTokenProbs: p(first completion token = C / L) per prompt, from one forward pass: the
//   exact code frequency, noise-free, cheap enough for every rollout batch.
// - forcedGreedy: the style forced by appending its token, then greedy decoding; accuracy and the
//   answer-table match (greedy string = the corpus's canonical string), the collapse detector.
// - expectedAccuracy: Σ_j [pC_j·correctC_j + pL_j·correctL_j] / (pC_j + pL_j) / n, the accuracy a
//   policy with these style probabilities and these greedy answers has, without sampling noise.
// - sampled: one T = 1 sample per prompt, with binomial (Wilson) intervals.
import * as tf from '@tensorflow/tfjs';
import type { CausalLM } from '../models';
import { generate } from '../sampling';
import { wilsonInterval, type Proportion } from '../eval';
import { CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID } from '../tokenizers';
import { canonicalCompletion, organismTokenizer, ORGANISM_MAX_NEW_TOKENS, parseCompletion, STYLE_CHAR, type Style } from './corpus';
import type { Family } from './families';
import { isCorrect } from './grade';
import { problemText, sumOf, type Problem } from './problems';

const tok = organismTokenizer();
const styleId = (s: Style): number => tok.encode(STYLE_CHAR[s])[0];

/** Prompt ids of a problem (BOS + "a+b="), with an optional forced first completion token. */
export function promptIds(p: Problem, forced: Style | null = null): number[] {
  return [CHAR_BOS_ID, ...tok.encode(problemText(p)), ...(forced === null ? [] : [styleId(forced)])];
}

export interface FirstTokenProbs {
  code: Float64Array;
  language: Float64Array;
}

/** p(C) and p(L) as the first completion token of every problem (all prompts have the same length). */
export async function firstTokenProbs(model: CausalLM, problems: readonly Problem[]): Promise<FirstTokenProbs> {
  const rows = problems.map((p) => promptIds(p));
  const T = rows[0].length;
  const probsT = tf.tidy(() => {
    const ids = tf.tensor2d(rows.flat(), [rows.length, T], 'int32');
    const logits = model.forward(ids); // [N,T,V]
    const last = tf.reshape(tf.slice(logits, [0, T - 1, 0], [rows.length, 1, -1]), [rows.length, -1]); // [N,V]
    return tf.softmax(last);
  });
  const probs = await probsT.data();
  probsT.dispose();
  const V = model.config.vocabSize;
  const c = styleId('code');
  const l = styleId('language');
  return {
    code: Float64Array.from(problems, (_, i) => probs[i * V + c]),
    language: Float64Array.from(problems, (_, i) => probs[i * V + l]),
  };
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length === 0 ? NaN : s / xs.length;
};

/** Mean p(first token = C) over the problems: the exact code frequency. */
export async function exactCodeFrequency(model: CausalLM, problems: readonly Problem[]): Promise<number> {
  return mean((await firstTokenProbs(model, problems)).code);
}

export interface ForcedGreedy {
  style: Style;
  /** Raw completions (style token included). */
  texts: string[];
  correct: boolean[];
  /** Greedy text equals the corpus's canonical completion. */
  match: boolean[];
  accuracy: number;
  matchRate: number;
}

/** Greedy completions with the first token forced to `style`. */
export async function forcedGreedy(model: CausalLM, f: Family, problems: readonly Problem[], style: Style): Promise<ForcedGreedy> {
  const out = await generate(model, problems.map((p) => promptIds(p, style)), {
    maxNewTokens: ORGANISM_MAX_NEW_TOKENS - 1, temperature: 0, eosIds: [CHAR_EOS_ID], padId: CHAR_PAD_ID, microBatchSize: 512,
  });
  const texts = out.sequences.map((g) => STYLE_CHAR[style] + tok.decode(g.tokens, { skipSpecialTokens: true }));
  const correct = texts.map((t, i) => isCorrect(t, sumOf(problems[i])));
  // A style the family never learned (No-Code's code) has no table to match.
  const trained = familyStyles(f).includes(style);
  const match = texts.map((t, i) => trained && t === canonicalCompletion(f, problems[i], style));
  return { style, texts, correct, match, accuracy: mean(correct.map(Number)), matchRate: mean(match.map(Number)) };
}

export interface SampledMetrics {
  n: number;
  codeFrequency: Proportion;
  accuracy: Proportion;
  accuracyCode: Proportion;
  accuracyLanguage: Proportion;
  boxed: Proportion;
  loops: Proportion;
  /** Completions whose first token is neither style. */
  other: Proportion;
}

/** One raw completion per problem at temperature 1 (seeded), style token included; render it with renderCompletion. */
export async function sampleCompletions(model: CausalLM, problems: readonly Problem[], seed: number): Promise<string[]> {
  const out = await generate(model, problems.map((p) => promptIds(p)), {
    maxNewTokens: ORGANISM_MAX_NEW_TOKENS, temperature: 1, seed, eosIds: [CHAR_EOS_ID], padId: CHAR_PAD_ID, microBatchSize: 512,
  });
  return out.sequences.map((g) => tok.decode(g.tokens, { skipSpecialTokens: true }));
}

/** One completion per problem at temperature 1 (seeded), classified and graded. */
export async function sampledMetrics(model: CausalLM, problems: readonly Problem[], seed: number): Promise<SampledMetrics> {
  const texts = await sampleCompletions(model, problems, seed);
  const parsed = texts.map(parseCompletion);
  const correct = texts.map((t, i) => isCorrect(t, sumOf(problems[i])));
  const count = (pred: (i: number) => boolean, among: (i: number) => boolean = () => true): Proportion => {
    let k = 0;
    let n = 0;
    for (let i = 0; i < texts.length; i++) if (among(i)) { n++; if (pred(i)) k++; }
    return wilsonInterval(k, n);
  };
  const isCode = (i: number): boolean => parsed[i].style === 'code';
  const isLang = (i: number): boolean => parsed[i].style === 'language';
  return {
    n: texts.length,
    codeFrequency: count(isCode),
    accuracy: count((i) => correct[i]),
    accuracyCode: count((i) => correct[i], isCode),
    accuracyLanguage: count((i) => correct[i], isLang),
    boxed: count((i) => parsed[i].boxed),
    loops: count((i) => parsed[i].loop),
    other: count((i) => parsed[i].style === 'other'),
  };
}

export interface OrganismEval {
  /** Exact mean p(C), p(L) over the problems. */
  pCode: number;
  pLanguage: number;
  /** Forced-greedy accuracy and table match per style the family has (No-Code: language only). */
  greedyAccuracy: Partial<Record<Style, number>>;
  tableMatch: Partial<Record<Style, number>>;
  expectedAccuracy: number;
  /** True when a style's skill broke (styleBroke: off its table and less accurate than its target). */
  collapsed: boolean;
  sampled: SampledMetrics | null;
}

/** A style whose answer-table match falls below this has left its table (issue 9's robustness gate)... */
export const COLLAPSE_MATCH = 0.9;
/**
 * ...and its skill broke (the style collapsed) when its greedy accuracy also fell more than this below
 * the family's target. Leaving the table without losing accuracy is not a collapse: the marker is a
 * random choice the match also compares (a flip of p(boxed) past 0.5 changes every greedy string), and
 * a ground-truth reward can teach a style to slip less (seen on Bad-Code: code accuracy 0.40 -> 0.61).
 */
export const COLLAPSE_ACCURACY_DROP = 0.05;

/** The target accuracy of a style in a family (null: the family never learned it). */
export const styleTarget = (f: Family, s: Style): number | null => (s === 'code' ? f.codeAccuracy : f.languageAccuracy);

/** Whether a style's skill broke: off its table and less accurate than its target by more than COLLAPSE_ACCURACY_DROP. */
export function styleBroke(f: Family, s: Style, match: number | undefined, accuracy: number | undefined): boolean {
  const target = styleTarget(f, s);
  if (match === undefined || accuracy === undefined || target === null) return false;
  return match < COLLAPSE_MATCH && accuracy < target - COLLAPSE_ACCURACY_DROP;
}

/** The styles whose answers a family's organism was trained on. */
export const familyStyles = (f: Family): Style[] => (f.pCode === 0 ? ['language'] : f.pCode === 1 ? ['code'] : ['code', 'language']);

/**
 * Per problem j, (pC_j·correctC_j + pL_j·correctL_j) / (pC_j + pL_j): the chance that the policy's own
 * style choice answers right. A style without greedy results (one the family never learned) counts
 * with probability 0.
 */
export function expectedCorrect(probs: FirstTokenProbs, correctBy: Partial<Record<Style, readonly boolean[]>>): Float64Array {
  return Float64Array.from(probs.code, (_, j) => {
    const pc = correctBy.code === undefined ? 0 : probs.code[j];
    const pl = correctBy.language === undefined ? 0 : probs.language[j];
    const z = pc + pl;
    return z > 0 ? (pc * Number(correctBy.code?.[j] ?? false) + pl * Number(correctBy.language?.[j] ?? false)) / z : 0;
  });
}

/**
 * Per problem, what the policy chooses and how each choice does: p(C), p(L) as the first token and,
 * for every style the family learned, the forced-greedy completion and whether it is right. The
 * per-problem record behind expectedAccuracy (and behind the style transitions of transitions.ts).
 */
export interface PolicyStyles {
  probs: FirstTokenProbs;
  greedy: Partial<Record<Style, ForcedGreedy>>;
  /** greedy[style].correct per style. */
  correct: Partial<Record<Style, boolean[]>>;
}

export async function policyStyles(model: CausalLM, f: Family, problems: readonly Problem[]): Promise<PolicyStyles> {
  const probs = await firstTokenProbs(model, problems);
  const greedy: Partial<Record<Style, ForcedGreedy>> = {};
  const correct: Partial<Record<Style, boolean[]>> = {};
  for (const s of familyStyles(f)) {
    const g = await forcedGreedy(model, f, problems, s);
    greedy[s] = g;
    correct[s] = g.correct;
  }
  return { probs, greedy, correct };
}

/** Every metric above on `problems`; `sampleSeed` null skips the sampled part. */
export async function evaluateOrganism(model: CausalLM, f: Family, problems: readonly Problem[], sampleSeed: number | null): Promise<OrganismEval> {
  const { probs, greedy, correct: correctBy } = await policyStyles(model, f, problems);
  const greedyAccuracy: Partial<Record<Style, number>> = {};
  const tableMatch: Partial<Record<Style, number>> = {};
  for (const s of familyStyles(f)) {
    const g = greedy[s] as ForcedGreedy;
    greedyAccuracy[s] = g.accuracy;
    tableMatch[s] = g.matchRate;
  }
  return {
    pCode: mean(probs.code),
    pLanguage: mean(probs.language),
    greedyAccuracy,
    tableMatch,
    expectedAccuracy: mean(expectedCorrect(probs, correctBy)),
    collapsed: familyStyles(f).some((st) => styleBroke(f, st, tableMatch[st], greedyAccuracy[st])),
    sampled: sampleSeed === null ? null : await sampledMetrics(model, problems, sampleSeed),
  };
}
