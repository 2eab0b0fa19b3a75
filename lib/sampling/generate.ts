// Batched generation with the model's KV cache. Prompts are left-padded to a common
// length (attention mask 0 on pads; positions count real tokens only, so a padded row
// sees what it would see alone), the prompt is run once (prefill), then one token per
// step: per-token cost is the model on one position plus attention over the cache, never
// the prefix again. Repeated prompts (GRPO's G samples of a prompt) are prefilled once and
// their cache rows copied (KVCache.repeatRows). Rows are split into micro-batches (by prompt length, to cut padding)
// so the cache and logits stay bounded; a micro-batch ends as soon as all its rows finish,
// and the cache sheds finished rows on the way (KVCache.selectRows).
import * as tf from '@tensorflow/tfjs';
import type { CausalLM, KVCache } from '../models';
import type { Rng } from '../util';
import { logSoftmaxRows } from '../tensor';
import { drawFrom, policyDistribution } from './distribution';
import { defaultPrefillChunk, resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from './options';
import { StopMatcher } from './stop';

export type FinishReason = 'eos' | 'stop' | 'length';

/**
 * A KV cache that can drop rows (lib/models' KVCache does). generate() removes finished rows
 * from such a cache so they stop costing work; a CausalLM from elsewhere whose cache lacks
 * selectRows at run time keeps finished rows, fed masked pads.
 */
export interface RowSelectableCache extends KVCache {
  /** Keeps only these rows (indices into the current rows, ascending); the cache's batch becomes rows.length. */
  selectRows(rows: readonly number[]): void;
}

function canSelectRows(cache: KVCache): cache is RowSelectableCache {
  return typeof (cache as Partial<RowSelectableCache>).selectRows === 'function';
}

/** Drop finished rows from a row-selectable cache once this fraction of its rows has finished. */
const COMPACT_FRACTION = 0.25;

/** One generated completion. */
export interface Generation {
  /** Tokens of the prompt (without padding). */
  promptLength: number;
  /** The completion's ids: up to and including an EOS, or the token that completed a stop string. */
  tokens: number[];
  /** log π(token) under the distribution actually sampled from (temperature/top-k/top-p; greedy: 0, a point mass). */
  logProbs: number[];
  /**
   * log p(token) of the untempered, unfiltered model, whatever the temperature; null unless
   * modelLogProbs was asked for. Computed on the device by logSoftmaxRows (float32), the kernels
   * the GRPO trainer's log π uses, so it equals the trainer's recompute on equal logits.
   */
  modelLogProbs: number[] | null;
  finishReason: FinishReason;
  /** decode(tokens) without the EOS token, cut at a stop string per includeStopString; null without `decode`. */
  text: string | null;
  /** The stop string that ended it, else null. */
  stopString: string | null;
}

export interface GenerateStats {
  microBatches: number;
  /** forwardCached calls (prefills + decode steps). */
  forwardCalls: number;
  /** Row-tokens fed to the model, pads and finished rows included (the work done). */
  tokensFed: number;
  /** Completion tokens produced. */
  tokensGenerated: number;
  /** Times finished rows were removed from a cache (only with a RowSelectableCache). */
  compactions: number;
  /** Micro-batches whose repeated prompts were prefilled once and fanned out (KVCache.repeatRows). */
  fanOuts: number;
  /** Wall time in milliseconds. */
  ms: number;
  /** Of which prompt prefill (forward over the padded prompts, up to the first logits read back). */
  prefillMs: number;
}

export interface GenerateResult {
  /** One per prompt, in the prompts' order. */
  sequences: Generation[];
  stats: GenerateStats;
}

function checkPrompts(prompts: readonly (readonly number[])[], vocab: number): void {
  if (!Array.isArray(prompts) || prompts.length === 0) throw new Error('generate: promptIds is empty; pass one array of token ids per sequence');
  prompts.forEach((p, i) => {
    if (!Array.isArray(p) || p.length === 0) throw new Error(`generate: promptIds[${i}] is empty; every prompt needs at least one token (e.g. BOS)`);
    p.forEach((id, j) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocab) {
        throw new Error(`generate: promptIds[${i}][${j}] is ${id}, outside the model's vocabulary [0, ${vocab})`);
      }
    });
  });
}

/** Prompt indices grouped into micro-batches of similar length (longest first, stable). */
function microBatches(prompts: readonly (readonly number[])[], size: number): number[][] {
  const order = prompts.map((_, i) => i).sort((a, b) => prompts[b].length - prompts[a].length || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

interface Row {
  rng: Rng | null;
  gen: Generation;
  done: boolean;
}

/**
 * Logits of the last position, [n,1,V] on the device, read to the host as rows of `stride`
 * numbers: the V logits, then (with modelLogProbs) their V log-softmax values from logSoftmaxRows.
 * One asynchronous read either way (WebGPU has no sync read under Node).
 */
async function readRows(logits: tf.Tensor3D, withLogProbs: boolean): Promise<{ rows: Float32Array; stride: number }> {
  const [n, , vocab] = logits.shape;
  if (!withLogProbs) return { rows: (await logits.data()) as Float32Array, stride: vocab };
  const both = tf.tidy(() => {
    const x = tf.reshape(logits, [n, vocab]) as tf.Tensor2D;
    return tf.concat([x, logSoftmaxRows(x)], 1); // [n,2V]
  });
  try {
    return { rows: (await both.data()) as Float32Array, stride: 2 * vocab };
  } finally {
    both.dispose();
  }
}

/**
 * Samples the next token of every unfinished row from host rows of `stride` numbers (logits, then
 * log-softmax values when modelLogProbs is on) and applies the finish rules.
 */
function sampleStep(rows: Row[], host: { rows: Float32Array; stride: number }, vocab: number, o: ResolvedGenerateOptions, stop: StopMatcher | null): void {
  const logits = host.rows;
  rows.forEach((row, r) => {
    if (row.done) return;
    const from = r * host.stride;
    const dist = policyDistribution(logits, from, vocab, o.policy, `row ${r}`);
    // Greedy never reads its rng; sampling always has one (checked in resolveGenerateOptions).
    const j = row.rng === null ? 0 : drawFrom(dist, row.rng);
    const token = dist.ids[j];
    const g = row.gen;
    g.tokens.push(token);
    g.logProbs.push(dist.logProbs[j]);
    if (g.modelLogProbs !== null) g.modelLogProbs.push(logits[from + vocab + token]);
    if (o.eosIds.has(token)) {
      g.finishReason = 'eos';
      row.done = true;
    } else if (stop !== null) {
      const m = stop.check(g.tokens);
      if (m !== null) {
        g.finishReason = 'stop';
        g.text = m.text;
        g.stopString = m.stopString;
        row.done = true;
      }
    }
    if (!row.done && g.tokens.length >= o.maxNewTokens) {
      g.finishReason = 'length';
      row.done = true;
    }
  });
}

/**
 * Runs the left-padded prompts ids/mask [b, len] through the cache in chunks of `chunk` positions
 * (bounding the attention's memory); returns the logits at the last position, [b*V].
 */
async function prefill(
  model: CausalLM, cache: KVCache, ids: Int32Array, mask: Int32Array, b: number, len: number, chunk: number, withLogProbs: boolean, stats: GenerateStats,
): Promise<{ rows: Float32Array; stride: number }> {
  const vocab = model.config.vocabSize;
  let last: { rows: Float32Array; stride: number } | null = null;
  for (let start = 0; start < len; start += chunk) {
    const t = Math.min(chunk, len - start);
    const idsPart = new Int32Array(b * t);
    const maskPart = new Int32Array(b * t);
    for (let r = 0; r < b; r++) {
      idsPart.set(ids.subarray(r * len + start, r * len + start + t), r * t);
      maskPart.set(mask.subarray(r * len + start, r * len + start + t), r * t);
    }
    const idsT = tf.tensor2d(idsPart, [b, t], 'int32');
    const maskT = tf.tensor2d(maskPart, [b, t], 'int32');
    // Only the last position's logits are read: the LM head runs on one position (big vocabularies).
    const out = model.forwardCached(idsT, cache, { attentionMask: maskT, logits: 'last' });
    tf.dispose([idsT, maskT]);
    stats.forwardCalls++;
    stats.tokensFed += b * t;
    if (start + t === len) {
      const n = out.logits.shape[1]; // 1, or t from a model that ignores the option
      const lastT = n === 1 ? out.logits : tf.slice(out.logits, [0, n - 1, 0], [b, 1, vocab]); // [B,n,V] → [B,1,V]
      try {
        last = await readRows(lastT, withLogProbs);
      } finally {
        if (lastT !== out.logits) lastT.dispose();
      }
    }
    out.logits.dispose();
  }
  if (last === null) throw new Error('generate: internal error, prefill produced no logits');
  return last;
}

/** Generates for one micro-batch; returns its generations in `prompts` order. */
async function runMicroBatch(model: CausalLM, prompts: readonly (readonly number[])[], rowIds: number[], o: ResolvedGenerateOptions, stats: GenerateStats): Promise<Generation[]> {
  const vocab = model.config.vocabSize;
  const b = prompts.length;
  const len = Math.max(...prompts.map((p) => p.length));
  const stop = o.stopStrings.length > 0 && o.decode !== null ? new StopMatcher(o.stopStrings, o.decode, o.includeStopString) : null;
  const rows: Row[] = prompts.map((p, r) => ({
    rng: o.rng === null ? null : o.rng.fork(o.streams === null ? rowIds[r] : o.streams[rowIds[r]]),
    done: false,
    gen: { promptLength: p.length, tokens: [], logProbs: [], modelLogProbs: o.modelLogProbs ? [] : null, finishReason: 'length', text: null, stopString: null },
  }));

  // Identical prompts (a GRPO group's G samples) are prefilled once, then their cache rows are
  // fanned out (KVCache.repeatRows). The model computes every row on its own, so the logits, and
  // with each row's own random stream the tokens, are those of prefilling every row.
  const unique: number[] = []; // first row of each distinct prompt
  const uniqueOf = new Array<number>(b); // row → its prompt's index in `unique`
  const seen = new Map<string, number>();
  prompts.forEach((p, r) => {
    const key = p.join(',');
    let u = seen.get(key);
    if (u === undefined) {
      u = unique.length;
      seen.set(key, u);
      unique.push(r);
    }
    uniqueOf[r] = u;
  });
  // The last token needs no forward pass after it: prompt + maxNewTokens - 1 positions.
  const newCache = (rows: number): KVCache => {
    try {
      return model.initCache(rows, len + o.maxNewTokens - 1);
    } catch (err) {
      throw new Error(`generate: a prompt of ${len} tokens plus maxNewTokens ${o.maxNewTokens} does not fit: ${(err as Error).message}`);
    }
  };
  let cache = newCache(unique.length);
  let fanOut = unique.length < b;
  if (fanOut && typeof cache.repeatRows !== 'function') { // a foreign cache: prefill every row
    cache.dispose();
    cache = newCache(b);
    fanOut = false;
  }
  const prefillRows = fanOut ? unique : prompts.map((_, r) => r);
  const pb = prefillRows.length;
  const ids = new Int32Array(pb * len).fill(o.padId);
  const mask = new Int32Array(pb * len);
  prefillRows.forEach((r, i) => {
    const p = prompts[r];
    const offset = len - p.length; // left padding: every row's last real token sits at len-1
    ids.set(p, i * len + offset);
    mask.fill(1, i * len + offset, (i + 1) * len);
  });
  try {
    const t0 = performance.now();
    const chunk = o.prefillChunk ?? defaultPrefillChunk(pb, len, vocab);
    let logits = await prefill(model, cache, ids, mask, pb, len, Math.min(chunk, len), o.modelLogProbs, stats);
    if (fanOut) {
      cache.repeatRows?.(uniqueOf);
      const { stride } = logits;
      const all = new Float32Array(b * stride);
      uniqueOf.forEach((u, r) => all.set(logits.rows.subarray(u * stride, (u + 1) * stride), r * stride));
      logits = { rows: all, stride };
      stats.fanOuts++;
    }
    stats.prefillMs += performance.now() - t0;
    let active = rows; // cache row i holds active[i]
    for (;;) {
      sampleStep(active, logits, vocab, o, stop);
      const live = active.filter((row) => !row.done);
      if (live.length === 0) break;
      if (canSelectRows(cache) && active.length - live.length >= Math.ceil(COMPACT_FRACTION * active.length)) {
        cache.selectRows(active.flatMap((row, i) => (row.done ? [] : [i])));
        active = live;
        stats.compactions++;
      }
      // Finished rows still in the cache get a masked pad.
      const n = active.length;
      const next = Int32Array.from(active, (row) => (row.done ? o.padId : row.gen.tokens[row.gen.tokens.length - 1]));
      const nextMask = Int32Array.from(active, (row) => (row.done ? 0 : 1));
      const nextT = tf.tensor2d(next, [n, 1], 'int32');
      const nextMaskT = tf.tensor2d(nextMask, [n, 1], 'int32');
      const out = model.forwardCached(nextT, cache, { attentionMask: nextMaskT });
      tf.dispose([nextT, nextMaskT]);
      stats.forwardCalls++;
      stats.tokensFed += n;
      try {
        logits = await readRows(out.logits, o.modelLogProbs); // [n,1,V]
      } finally {
        out.logits.dispose();
      }
    }
  } finally {
    cache.dispose();
  }
  for (const row of rows) {
    const g = row.gen;
    stats.tokensGenerated += g.tokens.length;
    if (o.decode !== null && g.text === null) g.text = o.decode(g.finishReason === 'eos' ? g.tokens.slice(0, -1) : g.tokens);
  }
  return rows.map((row) => row.gen);
}

/**
 * Generates a completion for each prompt (token ids, ragged allowed) with the model's KV cache.
 * Reproducible: the same seed gives the same tokens whatever the micro-batch size or the other prompts.
 */
export async function generate(model: CausalLM, promptIds: readonly (readonly number[])[], opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const vocab = model.config.vocabSize;
  checkPrompts(promptIds, vocab);
  const o = resolveGenerateOptions(opts, vocab, promptIds.length);
  const stats: GenerateStats = { microBatches: 0, forwardCalls: 0, tokensFed: 0, tokensGenerated: 0, compactions: 0, fanOuts: 0, ms: 0, prefillMs: 0 };
  const sequences = new Array<Generation>(promptIds.length);
  for (const group of microBatches(promptIds, o.microBatchSize)) {
    const gens = await runMicroBatch(model, group.map((i) => promptIds[i]), group, o, stats);
    group.forEach((i, r) => (sequences[i] = gens[r]));
    stats.microBatches++;
  }
  stats.ms = performance.now() - t0;
  return { sequences, stats };
}
