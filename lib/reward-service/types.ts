// Types of the reward service: what a request becomes once parsed (a ScoreJob), what scoring
// returns (ScoreResult), and the server's settings.
import type { VerifierMode } from '../verifier';

/** One completion to score, with the prompt and label it belongs to. */
export interface ScoreItem {
  prompt: string;
  /** The completion alone (for OpenRLHF: query minus the prompt prefix). */
  completion: string;
  label: string;
  /** Explicit group id (extension field `groups`); absent: items group by (prompt, label), or by label alone
   * when the prompt is "" (then several prompts may share a key: see GroupKey). */
  group?: string;
}

/** How a request's completions relate to the engine's groups; only rewards that need the whole group
 * (lib/rewards REWARD_INPUTS, e.g. `ttt`) read it. */
export interface GroupingRequest {
  /** Completions the engine samples per prompt (`group_size`; else the server's --group-size). */
  groupSize?: number;
  /** `wait_for_group` (default true): an incomplete group waits for its other completions from later requests;
   * false: it is refused at once (a caller that sends one completion and blocks until answered). */
  waitForGroup: boolean;
  /** `step`: the training step, part of the group key when sent, so one prompt in two steps never mixes. */
  step?: string;
}

/** A parsed request: which reward, how, and on what. */
export interface ScoreJob {
  reward: string;
  mode: VerifierMode;
  seed: number;
  items: ScoreItem[];
  /** Absent: wait for whole groups, server's group size, no step. */
  grouping?: GroupingRequest;
}

/** Per-completion numbers, in request order. `scores` equals `rewards` (OpenRLHF's serve_rm does the same). */
export interface ScoreResult {
  rewards: number[];
  /** name -> one number per completion (OpenRLHF `extra_logs`). */
  extraLogs: Record<string, number[]>;
}

/** Names of the per-completion diagnostics in `extra_logs`. */
export const EXTRA_LOG_NAMES = ['mentions_python', 'has_boxed', 'group_size'] as const;
export type ExtraLogName = (typeof EXTRA_LOG_NAMES)[number];

/** What to do when an OpenRLHF `prompts[i]` is not a prefix of `query[i]`. */
export type PrefixMismatch = 'error' | 'whole-query';

export interface RewardServiceOptions {
  /** Default reward name (the authors' grammar); a request may override it with `reward`. */
  reward: string;
  /** Default verifier mode for math/ttt (default 'strict'); a request may override it with `mode`. */
  mode?: VerifierMode;
  /** Root seed of random rewards (default 0); a request may override it with `seed`. */
  seed?: number;
  /** Verifier budget per math verification, ms (default: makeReward's default). */
  deadlineMs?: number;
  /** Largest accepted request body in bytes (default 64 MiB). */
  maxBodyBytes?: number;
  /** Scoring threads (default 0 = score on the server's thread). */
  workers?: number;
  /** Literal strings removed from every OpenRLHF query and prompt before use (e.g. a pad token). */
  stripTokens?: readonly string[];
  /** See PrefixMismatch (default 'error': 422). */
  prefixMismatch?: PrefixMismatch;
  /** How long a graceful close waits for in-flight requests before cutting connections, ms (default 30 000). */
  closeTimeoutMs?: number;
  /** Completions per prompt (the engine's n samples per prompt); required by rewards that need the whole group
   * unless every request sends `group_size`. */
  groupSize?: number;
  /** How long an incomplete group waits for its other completions before its requests get 422, ms (default 300 000). */
  groupTimeoutMs?: number;
  /** Nesting depth and element count a request body may have (defaults in json-guard.ts). */
  maxJsonDepth?: number;
  maxJsonValues?: number;
}
