// REWARDS: the base rewards of the authors' dispatcher (spec §3.1), one pure function each.
// Compound names (`_AND_`, `inverse_`, `_r1_style`, `random<p>`) are grammar over these, see name.ts.
import { boxOnlyFormatReward, formatReward } from './format';
import { mathReward } from './ground-truth';
import { noRepetitionReward } from './no-repetition';
import { containPythonReward, containPythonWoBackticksReward } from './python';
import { randomReward } from './random';
import { tttReward } from './ttrl';
import type { BaseRewardFn } from './types';

export const REWARDS = {
  math: mathReward,
  ttt: tttReward,
  format: formatReward,
  box_only_format: boxOnlyFormatReward,
  random: randomReward,
  contain_python: containPythonReward,
  contain_python_wo_backticks: containPythonWoBackticksReward,
  no_repetition: noRepetitionReward,
} satisfies Record<string, BaseRewardFn>;

export type RewardName = keyof typeof REWARDS;

/** What a base reward reads besides its own completion. Every reward must say (the Record type makes a new one
 * fail to compile until it does): a service that scores completions as they come checks requests against it, so
 * that a reward needing the whole group never votes in a group of one and one reading the label never reads "". */
export interface RewardInputs {
  /** The reward of one completion depends on the other completions of its prompt (TTRL's majority vote). */
  wholeGroup: boolean;
  /** The reward compares the completion with the label. */
  label: boolean;
}

export const REWARD_INPUTS: Readonly<Record<RewardName, RewardInputs>> = {
  math: { wholeGroup: false, label: true },
  ttt: { wholeGroup: true, label: false },
  format: { wholeGroup: false, label: false },
  box_only_format: { wholeGroup: false, label: false },
  random: { wholeGroup: false, label: false },
  contain_python: { wholeGroup: false, label: false },
  contain_python_wo_backticks: { wholeGroup: false, label: false },
  no_repetition: { wholeGroup: false, label: false },
};

/** Names the authors' dispatcher knows but spec §3 does not define, so they cannot be built. */
export const UNSUPPORTED_REWARDS = {
  dense: 'listed by the authors\' dispatcher (spec §3.1) but its definition is not in the spec; no paper run uses it',
} as const;

export type UnsupportedRewardName = keyof typeof UNSUPPORTED_REWARDS;

/** One line per base reward: what earns 1 (spec section in brackets). */
export const REWARD_DESCRIPTIONS: Readonly<Record<RewardName, string>> = {
  math: 'the verifier grades the completion equivalent to the label (ground truth, majority vote, incorrect label, one-shot) [§3.4]',
  ttt: 'the completion\'s answer matches the majority answer of its group, empty answers voting (TTRL) [§3.13]',
  format: 'the authors\' full extractor finds an answer, last-number fallback included [§3.5]',
  box_only_format: 'the last \\boxed{...} is non-empty after normalisation (the paper\'s format reward) [§3.5]',
  random: 'a seeded uniform draw is below the rate p (random<p>; plain `random` is p = 0.5) [§3.6]',
  contain_python: 'the completion contains "```python" (case-insensitive) [§3.7]',
  contain_python_wo_backticks: 'the lower-cased completion contains "python" (the paper\'s Python reward) [§3.7]',
  no_repetition: 'no 10..256-character pattern repeats 10+ times back to back [§3.9]',
};
