// Majority-vote labels made offline (spec §3.10, majority_voting_labeling.py and
// relabel_data_based_on_mv_labels.py): extract each sample's answer with the authors' full
// extractor, drop empty ones, take Counter.most_common()[0] (ties to the first seen; '' when all
// are empty), grade it against the gold, and write the folder format. The incorrect-label reward
// (§3.11) is just `math` on the `incorrect` dataset; there is no separate reward code.
import { answersEquivalent, extractAnswer, type VerifierMode } from '../verifier';
import { countVotes, type VoteCount } from './votes';

export interface MajorityVoteOptions {
  /** Extraction mode; default 'authors' (the labelling script's extract_answer). */
  mode?: VerifierMode;
  r1Style?: boolean;
}

export interface MajorityVote {
  /** The most common non-empty extracted answer; '' when every sample's answer is empty. */
  label: string;
  /** Non-empty answers with their counts, most common first (ties in first-seen order). */
  counts: VoteCount[];
  /** Each sample's extracted answer, '' where there is none. */
  votes: string[];
}

/** The majority-vote label of one prompt's samples. */
export function majorityVoteLabel(samples: readonly string[], opts: MajorityVoteOptions = {}): MajorityVote {
  const votes = samples.map((s) => extractAnswer(s, { mode: opts.mode ?? 'authors', r1Style: opts.r1Style }) ?? '');
  const counts = countVotes(votes, { skipEmpty: true });
  return { label: counts[0]?.answer ?? '', counts, votes };
}

/** A problem to relabel. */
export interface MvProblem {
  id: string | number;
  prompt: string;
  /** The ground-truth answer. */
  answer: string;
}

/** One record of a `DeepScaleR_mv_labeled_*` folder (field order as in the authors' files). */
export interface MvRecord {
  id: string | number;
  prompt: string;
  /** The majority-vote label (not the truth). */
  answer: string;
  source: string;
}

export interface MvDatasetOptions extends MajorityVoteOptions {
  /** `all` keeps every problem; `incorrect` keeps those whose MV label is graded wrong (§3.11 data). */
  filter: 'all' | 'incorrect';
  /** Model tag in folder and source names, e.g. 'qwen2.5_math_7b'. */
  model: string;
  /** Records that go to test.json (the first ones); default 100. */
  testSize?: number;
  /** Grader for "is the MV label correct"; default 'authors' (grade_answer). */
  gradeMode?: VerifierMode;
}

export interface MvDataset {
  /** e.g. DeepScaleR_mv_labeled_qwen2.5_math_7b_incorrect */
  folder: string;
  test: MvRecord[];
  train: MvRecord[];
  stats: { problems: number; kept: number; emptyLabels: number; labelCorrect: number; labelIncorrect: number };
}

/** Relabels `problems` with majority votes over `samplesById` (keyed by String(id)) and splits them. */
export function buildMajorityVoteDataset(
  problems: readonly MvProblem[],
  samplesById: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>,
  opts: MvDatasetOptions,
): MvDataset {
  if (opts.filter !== 'all' && opts.filter !== 'incorrect') throw new Error(`buildMajorityVoteDataset: filter must be 'all' or 'incorrect', received ${String(opts.filter)}`);
  if (!/^[\w.-]+$/.test(opts.model ?? '')) throw new Error(`buildMajorityVoteDataset: model must be a tag like qwen2.5_math_7b, received ${JSON.stringify(opts.model)}`);
  const testSize = opts.testSize ?? 100;
  if (!Number.isInteger(testSize) || testSize < 0) throw new Error(`buildMajorityVoteDataset: testSize must be a non-negative integer, received ${testSize}`);
  const suffix = opts.filter === 'incorrect' ? '_incorrect' : '';
  const source = `deepscaler_mv_labeled_${opts.model}${suffix}`;
  const samplesOf = (id: string): readonly string[] | undefined =>
    samplesById instanceof Map ? samplesById.get(id) : Object.prototype.hasOwnProperty.call(samplesById, id) ? (samplesById as Record<string, readonly string[]>)[id] : undefined;

  const kept: MvRecord[] = [];
  let emptyLabels = 0, labelCorrect = 0;
  problems.forEach((p, i) => {
    const samples = samplesOf(String(p.id));
    if (!samples) throw new Error(`buildMajorityVoteDataset: no samples for problem ${i} (id ${JSON.stringify(p.id)})`);
    const { label } = majorityVoteLabel(samples, opts);
    const correct = answersEquivalent(label, p.answer, { mode: opts.gradeMode ?? 'authors' });
    if (label === '') emptyLabels++;
    if (correct) labelCorrect++;
    if (opts.filter === 'all' || !correct) kept.push({ id: p.id, prompt: p.prompt, answer: label, source });
  });
  return {
    folder: `DeepScaleR_mv_labeled_${opts.model}${suffix}`,
    test: kept.slice(0, testSize),
    train: kept.slice(testSize),
    stats: { problems: problems.length, kept: kept.length, emptyLabels, labelCorrect, labelIncorrect: problems.length - labelCorrect },
  };
}
