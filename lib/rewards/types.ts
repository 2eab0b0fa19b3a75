// The one reward signature (notes/style.md §3.1): a reward scores a whole group of completions of
// one prompt, because some rewards (TTRL's `ttt`) need the group and the random reward needs a
// seeded stream. grpo/ sees only RewardFn.
import type { Rng } from '../util';
import type { VerifierMode } from '../verifier';

export interface RewardGroup {
  prompt: string;
  /** Gold, majority-vote or incorrect label; may be ''. */
  label: string;
  /** The whole group of completions of this prompt (G samples). */
  completions: readonly string[];
  /** Seeded by the caller per group (e.g. from seed, step, prompt index). */
  rng: Rng;
}

/** One reward per completion, in the same order. Every paper reward is 0 or 1. */
export type RewardFn = (group: RewardGroup) => number[];

export interface RewardOptions {
  /** Verifier mode for `math` and `ttt`: 'strict' (default, true equivalence) or 'authors' (paper fidelity, spec §3.2-3.4). */
  verifierMode?: VerifierMode;
  /** Wall-clock safety net of one `math` verification in ms (default: the verifier's DEFAULT_DEADLINE_MS,
   * far above its worst case, so rewards do not depend on machine load). The verifier's size and depth
   * caps, not this clock, are what bound the work. */
  deadlineMs?: number;
}

/** Settings of one leaf of a reward name, shared by every base reward (one signature for all). */
export interface RewardContext {
  mode: VerifierMode;
  /** `_r1_style` suffix: extraction reads the text after the last <answer> (spec §3.2, §7.2). */
  r1Style: boolean;
  /** Rate of `random<p>`; 0.5 for plain `random`; unused by other rewards. */
  rate: number;
  /** Verifier deadline per call, ms. */
  deadlineMs: number;
}

/** A base reward of the registry. */
export type BaseRewardFn = (group: RewardGroup, ctx: RewardContext) => number[];
