// Format rewards (spec §3.5). They ignore the label.
import { extractAnswer, extractBoxedOnly } from '../verifier';
import type { BaseRewardFn } from './types';

/** `box_only_format`, the paper's format reward: the authors' box-only extraction is non-empty
 * (`\boxed{}` and `\boxed{ }` give 0; only the last "boxed" counts). With `_r1_style` it is 1 for
 * almost any non-empty response, as in the original. */
export const boxOnlyFormatReward: BaseRewardFn = (group, ctx) =>
  group.completions.map((c) => (extractBoxedOnly(c, { r1Style: ctx.r1Style }) !== null ? 1 : 0));

/** `format`: the authors' full extractor is non-empty, including the last-number fallback, so any
 * digit anywhere earns 1. Always the authors' extractor, whatever the verifier mode. */
export const formatReward: BaseRewardFn = (group, ctx) =>
  group.completions.map((c) => (extractAnswer(c, { mode: 'authors', r1Style: ctx.r1Style }) !== null ? 1 : 0));
