// The one-shot RLVR example π1 (spec §3.12): Wang et al. 2025's single DSR-sub training example.
import type { ProblemRecord } from './json-array';

/**
 * π1, prompt verbatim. The label 12.8 is what the original uses; the exact answer is ∛2048 ≈ 12.70, so the label
 * is slightly off (kept as is: reproducing the paper means rewarding 12.8). The same prompt and label appear in
 * DeepScaleR_Difficulty_Level_4/train.json (id 7395).
 */
export const ONE_SHOT_PI1: Readonly<ProblemRecord> = Object.freeze({
  prompt:
    "The pressure \\( P \\) exerted by wind on a sail varies jointly as the area \\( A \\) of the sail and the cube of the wind's velocity \\( V \\). When the velocity is \\( 8 \\) miles per hour, the pressure on a sail of \\( 2 \\) square feet is \\( 4 \\) pounds. Find the wind velocity when the pressure on \\( 4 \\) square feet of sail is \\( 32 \\) pounds.",
  answer: '12.8',
  source: 'one_shot_rlvr_pi1',
  id: 'pi1',
});

/** The instruction the One-Shot RLVR paper appended to π1 (leading space included). */
export const ONE_SHOT_INSTRUCTION = " Let's think step by step and output the final answer within \\boxed{}.";

export interface OneShotOptions {
  /** How many copies fill the batch (the original: 128). */
  copies?: number;
  /**
   * Append ONE_SHOT_INSTRUCTION to the prompt, as the original One-Shot RLVR paper did. Default false: the Spurious
   * Rewards paper says that apart from dropping the entropy loss "the usual setup applies", and its usual setup feeds
   * the raw problem with no user-side instruction (spec §7.1), leaving any instruction to the model's chat template.
   * The paper does not state this for π1 explicitly, so this default is an inference.
   */
  withInstruction?: boolean;
}

/** π1 repeated `copies` times (fresh objects, ids "pi1#0", "pi1#1", ...). */
export function oneShotDataset(opts: OneShotOptions = {}): ProblemRecord[] {
  const copies = opts.copies ?? 128;
  if (!Number.isInteger(copies) || copies < 1) throw new Error(`oneShotDataset: copies must be a positive integer, received ${copies}`);
  const prompt = opts.withInstruction ? ONE_SHOT_PI1.prompt + ONE_SHOT_INSTRUCTION : ONE_SHOT_PI1.prompt;
  return Array.from({ length: copies }, (_, i) => ({ ...ONE_SHOT_PI1, prompt, id: `pi1#${i}` }));
}
