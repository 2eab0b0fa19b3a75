// Types of the reward service: what a request becomes once parsed (a ScoreJob), what scoring
// returns (ScoreResult), and the server's settings.
import type { VerifierMode } from '../verifier';

/** One completion to score, with the prompt and label it belongs to. */
export interface ScoreItem {
  prompt: string;
  /** The completion alone (for OpenRLHF: query minus the prompt prefix). */
  completion: string;
  label: string;
  /** Explicit group id (extension field `groups`); absent: items group by (prompt, label). */
  group?: string;
}

/** A parsed request: which reward, how, and on what. */
export interface ScoreJob {
  reward: string;
  mode: VerifierMode;
  seed: number;
  items: ScoreItem[];
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
}
