// How good are the majority-vote pseudo-labels (spec §3.10)? For each labelling model's public 100-record slice:
// how often the label is empty, and how often it equals the ground truth where the truth is known. The truth comes
// from the DeepScaleR difficulty-level files (train + test, all five levels), matched by exact prompt text.
// These slices are the first 100 records of each relabelled list and sit mostly in one level, so the rates describe
// the slices, not MV accuracy over the whole training set (shared/data/rethink_rlvr/README.md).
import { answersEquivalent, type VerifierMode } from '../verifier';
import {
  DEEPSCALER_LEVELS,
  MV_MODELS,
  loadDeepScaleRLevel,
  loadMajorityVoteLabels,
  type DataOptions,
  type DeepScaleRLevel,
  type ModelFamily,
  type MvModel,
} from '../data';
import { Z95, wilsonInterval, type Proportion } from './intervals';

/** Answer equality under a verifier mode; the default is the project's verifier. */
export type AnswerEquivalence = (pred: string, gold: string, mode: VerifierMode) => boolean;

export interface MvLabelQualityOptions extends DataOptions {
  /** Models to report, in this order (default: all eight, in MV_MODELS order). */
  models?: readonly MvModel[];
  /** Analyse the "_incorrect" slices instead (labels the authors' grader judged wrong: agreement should be ~0). */
  incorrect?: boolean;
  /** Replaces the verifier's answersEquivalent (e.g. to compare against plain string equality). */
  equivalent?: AnswerEquivalence;
  /** z of the intervals (default 1.96, i.e. 95%). */
  z?: number;
}

export interface MvLabelQualityRecord {
  model: MvModel;
  displayName: string;
  family: ModelFamily;
  slice: 'all' | 'incorrect';
  /** Records in the slice. */
  n: number;
  /** Labels that are "" (every one of the 64 samples had no extractable answer), out of n. */
  emptyRate: Proportion;
  /** Records whose prompt appears verbatim in the level files. */
  matched: number;
  /** Matched records whose prompt has different gold answers in different level records: left out of agreement. */
  goldConflicts: number;
  /** Label equivalent to the gold under the strict verifier, out of matched - goldConflicts. */
  agreeStrict: Proportion;
  /** Same under the authors' grader (the paper's `math` reward). */
  agreeAuthors: Proportion;
  /** Matched records by the level of the prompt's first occurrence (levels 1..5). */
  levels: Partial<Record<DeepScaleRLevel, number>>;
}

interface GoldEntry {
  answers: Set<string>;
  level: DeepScaleRLevel;
}

/** prompt -> its gold answers and first level, over train + test of all five levels. */
function goldIndex(opts: DataOptions): Map<string, GoldEntry> {
  const index = new Map<string, GoldEntry>();
  for (const level of DEEPSCALER_LEVELS) {
    for (const split of ['train', 'test'] as const) {
      for (const r of loadDeepScaleRLevel(level, split, opts)) {
        const e = index.get(r.prompt);
        if (e) e.answers.add(r.answer);
        else index.set(r.prompt, { answers: new Set([r.answer]), level });
      }
    }
  }
  return index;
}

const verifierEquivalence: AnswerEquivalence = (pred, gold, mode) => answersEquivalent(pred, gold, { mode });

/** One record per model: empty-label rate and agreement with the gold, each with a Wilson interval. */
export function mvLabelQuality(opts: MvLabelQualityOptions = {}): MvLabelQualityRecord[] {
  const equivalent = opts.equivalent ?? verifierEquivalence;
  const z = opts.z ?? Z95;
  const gold = goldIndex(opts);
  const wanted = opts.models ?? MV_MODELS.map((m) => m.key);
  return wanted.map((key) => {
    const info = MV_MODELS.find((m) => m.key === key);
    if (!info) throw new Error(`majority-vote model "${String(key)}" is not known; known: ${MV_MODELS.map((m) => m.key).join(', ')}`);
    const labels = loadMajorityVoteLabels(key, opts);
    let empty = 0;
    let matched = 0;
    let conflicts = 0;
    let strict = 0;
    let authors = 0;
    const levels: Partial<Record<DeepScaleRLevel, number>> = {};
    for (const r of labels) {
      if (r.answer === '') empty++;
      const g = gold.get(r.prompt);
      if (!g) continue;
      matched++;
      levels[g.level] = (levels[g.level] ?? 0) + 1;
      if (g.answers.size > 1) {
        conflicts++;
        continue;
      }
      const [truth] = g.answers;
      if (equivalent(r.answer, truth, 'strict')) strict++;
      if (equivalent(r.answer, truth, 'authors')) authors++;
    }
    const comparable = matched - conflicts;
    return {
      model: key,
      displayName: info.displayName,
      family: info.family,
      slice: opts.incorrect ? 'incorrect' : 'all',
      n: labels.length,
      emptyRate: wilsonInterval(empty, labels.length, z),
      matched,
      goldConflicts: conflicts,
      agreeStrict: wilsonInterval(strict, comparable, z),
      agreeAuthors: wilsonInterval(authors, comparable, z),
      levels,
    };
  });
}
