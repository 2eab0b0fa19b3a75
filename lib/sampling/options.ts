// Options of generate(), their defaults and their checks (once, at the boundary).
import { createRng, type Rng } from '../util';
import type { SamplingPolicy } from './distribution';
import type { DecodeFn } from './stop';

export interface GenerateOptions {
  /** New tokens per sequence at most (finish reason 'length' when reached). */
  maxNewTokens: number;
  /** Softmax temperature; 0 = greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens; 0 = off (default). */
  topK?: number;
  /** Keep the smallest most-likely-first set of tokens with mass >= topP; 1 = off (default). */
  topP?: number;
  /** Seed of the draws; required unless temperature is 0. Row i draws from createRng(seed).fork(streams[i]), so batching does not change it. */
  seed?: number;
  /** Random stream of each row (default: its index). The same seed and stream give the same draws in any batch. */
  streams?: readonly number[];
  /** Ids that end a sequence (finish reason 'eos'); the EOS token is kept in `tokens`. Default none. */
  eosIds?: readonly number[];
  /** Strings that end a sequence when they appear in the decoded completion (finish reason 'stop'); needs `decode`. */
  stopStrings?: readonly string[];
  /** Keep a matched stop string in `text` (spec §8: R1 keeps "</answer>"). Default false. */
  includeStopString?: boolean;
  /** Token ids → text (e.g. tokenizer.decode, keeping special tokens). Given, each sequence also gets `text`. */
  decode?: DecodeFn;
  /** Id written into left padding and into finished rows (always masked out). Default 0. */
  padId?: number;
  /** Rows per forward pass; bounds the KV cache and logits memory. Default 64. */
  microBatchSize?: number;
  /** Also return log p(token) of the untempered, unfiltered model. Default false. */
  modelLogProbs?: boolean;
  /**
   * Prompt tokens per prefill call. A prefill call holds rows × chunk × prompt attention scores per head
   * and layer, and rows × chunk × vocab logits, which overflow wasm's 4 GiB heap for long prompts or large
   * vocabularies. Default: the largest chunk with rows × chunk × prompt length <= 2^21 and
   * rows × chunk × vocab <= 2^24 (a 64-row batch of 512-token prompts prefills in chunks of 64).
   */
  prefillChunk?: number;
}

export interface ResolvedGenerateOptions {
  maxNewTokens: number;
  policy: SamplingPolicy;
  rng: Rng | null;
  streams: readonly number[] | null;
  eosIds: ReadonlySet<number>;
  stopStrings: readonly string[];
  includeStopString: boolean;
  decode: DecodeFn | null;
  padId: number;
  microBatchSize: number;
  modelLogProbs: boolean;
  prefillChunk: number | null;
}

const DEFAULT_MICRO_BATCH = 64;
/** Default caps per prefill call (see prefillChunk): query-key pairs per head and layer, and logits. */
export const PREFILL_PAIRS_PER_CALL = 2 ** 21;
export const PREFILL_LOGITS_PER_CALL = 2 ** 24;

/** The default prefill chunk for `rows` prompts padded to `len` tokens over a vocabulary of `vocab`. */
export function defaultPrefillChunk(rows: number, len: number, vocab: number): number {
  return Math.max(1, Math.min(len, Math.floor(PREFILL_PAIRS_PER_CALL / (rows * len)), Math.floor(PREFILL_LOGITS_PER_CALL / (rows * vocab))));
}

function positiveInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`generate: ${name} must be a positive integer, received ${String(v)}`);
  return v;
}

function tokenId(name: string, v: unknown, vocab: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= vocab) {
    throw new Error(`generate: ${name} must be a token id in [0, ${vocab}), received ${String(v)}`);
  }
  return v;
}

/** Checks every option against the model's vocabulary and the number of prompts. */
export function resolveGenerateOptions(o: GenerateOptions, vocab: number, rows: number): ResolvedGenerateOptions {
  const maxNewTokens = positiveInt('maxNewTokens', o.maxNewTokens);
  const temperature = o.temperature ?? 1;
  if (!(typeof temperature === 'number' && temperature >= 0 && Number.isFinite(temperature))) {
    throw new Error(`generate: temperature must be a finite number >= 0 (0 = greedy), received ${String(temperature)}`);
  }
  const topK = o.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`generate: topK must be an integer >= 0 (0 = off), received ${String(topK)}`);
  const topP = o.topP ?? 1;
  if (!(typeof topP === 'number' && topP > 0 && topP <= 1)) throw new Error(`generate: topP must be in (0, 1] (1 = off), received ${String(topP)}`);
  if (temperature > 0 && o.seed === undefined) {
    throw new Error(`generate: sampling at temperature ${temperature} needs a seed (an integer); pass seed, or temperature 0 for greedy`);
  }
  const stopStrings = o.stopStrings ?? [];
  stopStrings.forEach((s, i) => {
    if (typeof s !== 'string' || s.length === 0) throw new Error(`generate: stopStrings[${i}] must be a non-empty string, received ${JSON.stringify(s)}`);
  });
  if (stopStrings.length > 0 && o.decode === undefined) {
    throw new Error('generate: stopStrings need a decode function (token ids → text), e.g. decode: (ids) => tokenizer.decode(ids)');
  }
  if (o.streams !== undefined) {
    if (o.streams.length !== rows) throw new Error(`generate: streams has ${o.streams.length} entries for ${rows} prompts; give one per prompt`);
    o.streams.forEach((s, i) => {
      if (!Number.isInteger(s)) throw new Error(`generate: streams[${i}] must be an integer, received ${String(s)}`);
    });
  }
  const eosIds = new Set((o.eosIds ?? []).map((id, i) => tokenId(`eosIds[${i}]`, id, vocab)));
  return {
    maxNewTokens,
    policy: { temperature, topK, topP },
    rng: o.seed === undefined ? null : createRng(o.seed),
    streams: o.streams ?? null,
    eosIds,
    stopStrings,
    includeStopString: o.includeStopString ?? false,
    decode: o.decode ?? null,
    padId: tokenId('padId', o.padId ?? 0, vocab),
    microBatchSize: positiveInt('microBatchSize', o.microBatchSize ?? DEFAULT_MICRO_BATCH),
    modelLogProbs: o.modelLogProbs ?? false,
    prefillChunk: o.prefillChunk === undefined ? null : positiveInt('prefillChunk', o.prefillChunk),
  };
}
