// Majority-vote pseudo-labels (spec §3.10) and their "incorrect" subsets (§3.11), one folder per labelling model.
// Only the first 100 records (test.json) of each relabelled list are public; the labels may be "".
import { readProblemFile, type ProblemRecord } from './json-array';
import { rethinkPath } from './manifest';
import { resolveDataFile, type DataOptions } from './paths';
import type { Split } from './deepscaler';

export type ModelFamily = 'qwen-math' | 'qwen' | 'olmo' | 'llama';

export interface MvModelInfo {
  /** Key as in the upstream folder name DeepScaleR_mv_labeled_<key>. */
  key: string;
  displayName: string;
  family: ModelFamily;
}

export const MV_MODELS = [
  { key: 'qwen2.5_math_7b', displayName: 'Qwen2.5-Math-7B', family: 'qwen-math' },
  { key: 'qwen2.5_math_1.5b', displayName: 'Qwen2.5-Math-1.5B', family: 'qwen-math' },
  { key: 'qwen2.5_7b', displayName: 'Qwen2.5-7B', family: 'qwen' },
  { key: 'qwen2.5_1.5b', displayName: 'Qwen2.5-1.5B', family: 'qwen' },
  { key: 'olmo_2_1124_7b', displayName: 'OLMo2-7B', family: 'olmo' },
  { key: 'olmo_2_1124_7b_sft', displayName: 'OLMo2-7B-SFT', family: 'olmo' },
  { key: 'llama3.1_8b_instruct', displayName: 'Llama-3.1-8B-Instruct', family: 'llama' },
  { key: 'llama3.2_3b_instruct', displayName: 'Llama-3.2-3B-Instruct', family: 'llama' },
] as const satisfies readonly MvModelInfo[];

export type MvModel = (typeof MV_MODELS)[number]['key'];

/** The model's entry in MV_MODELS; an unknown key is an error listing the known ones. */
export function mvModelInfo(model: MvModel): MvModelInfo {
  const info = MV_MODELS.find((m) => m.key === model);
  if (!info) throw new Error(`majority-vote model "${String(model)}" is not known; known: ${MV_MODELS.map((m) => m.key).join(', ')}`);
  return info;
}

export interface MvLabelOptions extends DataOptions {
  /** The "_incorrect" folder: only prompts whose majority answer is wrong under the authors' grader. */
  incorrect?: boolean;
  /** Only 'test' (the first 100 records) exists upstream; 'train' is missing from the public snapshot. */
  split?: Split;
}

/** Local path (relative to a data dir) of a majority-vote label file. */
export function mvLabelPath(model: MvModel, opts: { incorrect?: boolean; split?: Split } = {}): string {
  const info = mvModelInfo(model);
  return rethinkPath(`DeepScaleR_mv_labeled_${info.key}${opts.incorrect ? '_incorrect' : ''}`, `${opts.split ?? 'test'}.json`);
}

/** Loads a model's majority-vote labels; `answer` is the pseudo-label, not the truth. */
export function loadMajorityVoteLabels(model: MvModel, opts: MvLabelOptions = {}): ProblemRecord[] {
  return readProblemFile(resolveDataFile(mvLabelPath(model, opts), opts));
}
