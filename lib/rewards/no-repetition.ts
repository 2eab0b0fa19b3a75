// `no_repetition` (spec §3.9): 0 if a 10..256-character pattern repeats 10+ times back to back.
import { hasRepetition } from '../detectors';
import type { BaseRewardFn } from './types';

export const noRepetitionReward: BaseRewardFn = (group) => group.completions.map((c) => (hasRepetition(c) ? 0 : 1));
