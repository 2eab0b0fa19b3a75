// `math` (spec §3.4): 1 iff the verifier grades the completion correct against the label. The
// same reward serves ground-truth, majority-vote (§3.10), incorrect-label (§3.11) and one-shot
// (§3.12) training; only the dataset's label differs.
import { verify } from '../verifier';
import type { BaseRewardFn } from './types';

export const mathReward: BaseRewardFn = (group, ctx) =>
  group.completions.map((c) => (verify(c, group.label, { mode: ctx.mode, r1Style: ctx.r1Style, deadlineMs: ctx.deadlineMs }).correct ? 1 : 0));
