// Response log-probs and entropies of a set of rollout rows, in the [B, T−1] layout grpoLoss takes.
// Rows are prompt ++ completion, right-padded (pads only follow real tokens, so causal attention
// never sees them and positions stay 0..T−1: no attention mask needed). The same function gives
// the old, reference and current log-probs, so on identical rows and weights the ratio is exactly 1.
import * as tf from '@tensorflow/tfjs';
import { withoutTape, type CausalLM } from '../../models';
import { logSoftmaxParts, mm } from '../../tensor';
import type { Rollout } from './rollout';

/** Host arrays of some rows of a rollout, ready to become tensors. */
export interface SequenceRows {
  rows: number;
  /** Padded length T (prompt + completion). */
  length: number;
  ids: Int32Array; // [B, T]
  /** 1 where the NEXT token (position t+1) is a completion token: [B, T−1]. */
  responseMask: Float32Array;
  /** Index of the next token at each position, for the one-hot pick: [B, T−1]. */
  targets: Int32Array;
  /** The sampler's log π_old of the next token where it is a completion token, else 0: [B, T−1] (the layout of PolicyTerms.logp). */
  samplerLogp: Float32Array;
  /** Prompt tokens of each row: [B]. */
  promptLengths: Int32Array;
}

export function sequenceRows(r: Rollout, rows: ArrayLike<number>, padId: number): SequenceRows {
  const B = rows.length;
  let T = 2;
  for (let i = 0; i < B; i++) T = Math.max(T, r.promptIds[rows[i]].length + r.completionIds[rows[i]].length);
  const ids = new Int32Array(B * T).fill(padId);
  const responseMask = new Float32Array(B * (T - 1));
  const targets = new Int32Array(B * (T - 1)).fill(padId);
  const samplerLogp = new Float32Array(B * (T - 1));
  const promptLengths = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const p = r.promptIds[rows[i]];
    promptLengths[i] = p.length;
    const c = r.completionIds[rows[i]];
    const lp = r.logProbs[rows[i]];
    ids.set(p, i * T);
    ids.set(c, i * T + p.length);
    for (let t = 0; t + 1 < p.length + c.length; t++) targets[i * (T - 1) + t] = ids[i * T + t + 1];
    for (let j = 0; j < c.length; j++) {
      responseMask[i * (T - 1) + p.length - 1 + j] = 1; // position predicting completion token j
      samplerLogp[i * (T - 1) + p.length - 1 + j] = lp === undefined ? NaN : lp[j];
    }
  }
  return { rows: B, length: T, ids, responseMask, targets, samplerLogp, promptLengths };
}

export interface PolicyTerms {
  /** log π(next token), 0 off the response: [B, T−1]. */
  logp: tf.Tensor2D;
  /** Entropy of π at each position, 0 off the response: [B, T−1]. */
  entropy: tf.Tensor2D;
}

/**
 * Per row of logits x [N,V] and constant one-hot targets [N,V]: [N,2] = (log softmax(x)[target],
 * entropy of softmax(x)), as one op with a hand-written gradient (wasm has no gather gradient, so
 * the target is picked with a one-hot product):
 *   z = x − max x,  lse = log Σ exp z,  ℓ = z − lse,  p = exp z / Σ exp z
 *   value  ℓ·onehot summed, −Σ p·ℓ
 *   d/dx   dℓ_t·(onehot − p) − dH·p ⊙ (ℓ + H)
 * (∂H/∂x_j = −p_j(ℓ_j + H)). The max is a constant shift: its gradient cancels exactly, so none
 * flows through it. ℓ comes from logSoftmaxParts, as the sampler's modelLogProbs do, so π_old from
 * the sampler equals this recompute bitwise wherever the logits are equal.
 */
function tokenTerms(x: tf.Tensor2D, onehot: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logits, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
    const { e, sum, logp: logpAll } = logSoftmaxParts(logits); // the sampler's modelLogProbs come from the same kernels
    const p = tf.div(e, sum);
    const picked = tf.sum(tf.mul(logpAll, onehot), -1, true); // [N,1]: exactly ℓ_target (the other terms are 0)
    const entropy = tf.neg(tf.sum(tf.mul(p, logpAll), -1, true)); // [N,1]
    save([p, logpAll, entropy, onehot]); // onehot too: a closed-over tensor is freed with the caller's tidy before backprop
    return {
      value: tf.concat([picked, entropy], 1) as tf.Tensor2D, // [N,2]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sp, sl, sh, hot] = saved;
        const [dlp, dh] = tf.split(dy, 2, 1); // [N,1] each
        const fromLogp = tf.mul(dlp, tf.sub(hot, sp));
        const fromEntropy = tf.mul(tf.mul(dh, sp), tf.add(sl, sh));
        return tf.sub(fromLogp, fromEntropy);
      },
    };
  });
  return op(x) as tf.Tensor2D;
}

/**
 * The rows' distinct prompts when sharing them pays: every row's prompt has the same length Tp
 * (>= 2) and at most SHARE_FRACTION of the rows have a prompt of their own. null otherwise.
 */
interface SharedPrompts {
  /** The distinct prompts [count, tp], row-major. */
  prefixIds: Int32Array;
  count: number;
  /** Per row: its prompt's index. */
  rowPrefix: Int32Array;
  tp: number;
}

function sharedPrompts(s: SequenceRows): SharedPrompts | null {
  const { rows: B, length: T } = s;
  const tp = s.promptLengths[0];
  if (tp < 2 || tp >= T - 1 || s.promptLengths.some((n) => n !== tp)) return null;
  const seen = new Map<string, number>();
  const rowPrefix = new Int32Array(B);
  const firstRows: number[] = [];
  for (let i = 0; i < B; i++) {
    const key = s.ids.subarray(i * T, i * T + tp).join(',');
    let k = seen.get(key);
    if (k === undefined) {
      k = firstRows.length;
      seen.set(key, k);
      firstRows.push(i);
    }
    rowPrefix[i] = k;
  }
  if (firstRows.length > SHARE_FRACTION * B) return null;
  const prefixIds = new Int32Array(firstRows.length * tp);
  firstRows.forEach((i, k) => prefixIds.set(s.ids.subarray(i * T, i * T + tp), k * tp));
  return { prefixIds, count: firstRows.length, rowPrefix, tp };
}

/** Prompts are run once per distinct prompt (CausalLM.forwardShared) when at most this fraction of the rows have one of their own. */
export const SHARE_FRACTION = 0.75;

/** Real tokens of row i (prompt + completion): its last response position + 2. */
function rowLength(s: SequenceRows, i: number): number {
  const T = s.length;
  let last = T - 2;
  while (last > 0 && s.responseMask[i * (T - 1) + last] === 0) last--;
  return last + 2;
}

/**
 * Two groups of rows, shortest first, when running them separately (each padded to its own
 * longest row) saves at least BUCKET_SAVING of the padded positions: an organism minibatch is
 * padded to its longest completion (often a 12-token loop) while most are 9-10 tokens. null otherwise.
 */
function lengthBuckets(s: SequenceRows): number[][] | null {
  const { rows: B, length: T } = s;
  if (B < 8) return null;
  const lens = Array.from({ length: B }, (_, i) => rowLength(s, i));
  const order = lens.map((_, i) => i).sort((a, b) => lens[a] - lens[b] || a - b);
  let best = B * T;
  let split = 0;
  for (let k = 1; k < B; k++) {
    const cost = k * lens[order[k - 1]] + (B - k) * lens[order[B - 1]];
    if (cost < best) { best = cost; split = k; }
  }
  if (split === 0 || best > (1 - BUCKET_SAVING) * B * T) return null;
  return [order.slice(0, split), order.slice(split)];
}

/** Rows are split into two length groups when that saves at least this fraction of the padded positions. */
export const BUCKET_SAVING = 0.08;

/**
 * Per group of rows, the logits of its positions skip … t−2 (t: the group's longest row) as
 * [b·n, V] rows, n = t−1−skip. The last token of a row is never fed: no position reads it (causal
 * attention) and its own logits predict nothing. Without shared prompts skip = 0 and each group is
 * one forward(); with them (one length Tp) skip = Tp−1, every distinct prompt runs once for all
 * groups (CausalLM.forwardShared), and the prompt's earlier positions, which predict prompt
 * tokens (no log-prob), are not computed.
 */
function groupLogits(model: CausalLM, s: SequenceRows, groups: readonly number[][], shared: SharedPrompts | null): { logits: tf.Tensor2D[]; lengths: number[] } {
  const T = s.length;
  const V = model.config.vocabSize;
  const lengths = groups.map((idx) => Math.max(2, ...idx.map((i) => rowLength(s, i))));
  const cut = (idx: readonly number[], from: number, t: number): tf.Tensor2D => { // ids[idx, from : t−1]
    const out = new Int32Array(idx.length * (t - 1 - from));
    idx.forEach((i, r) => out.set(s.ids.subarray(i * T + from, i * T + t - 1), r * (t - 1 - from)));
    return tf.tensor2d(out, [idx.length, t - 1 - from], 'int32');
  };
  if (shared === null) {
    const logits = groups.map((idx, g) => tf.reshape(model.forward(cut(idx, 0, lengths[g])), [idx.length * (lengths[g] - 1), V]) as tf.Tensor2D);
    return { logits, lengths };
  }
  const { prefixIds, count, rowPrefix, tp } = shared;
  const out = model.forwardShared(tf.tensor2d(prefixIds, [count, tp], 'int32'), groups.map((idx, g) => ({
    rowPrefix: Int32Array.from(idx, (i) => rowPrefix[i]),
    suffixIds: cut(idx, tp, lengths[g]),
  })));
  return { logits: out.map((x, g) => tf.reshape(x, [groups[g].length * (lengths[g] - tp), V]) as tf.Tensor2D), lengths };
}

/**
 * log-probs and entropies from one forward pass. Differentiable when called inside a gradient
 * closure; outside one (old/reference log-probs) the same kernels run without a tape. Rows that
 * share prompts (a GRPO minibatch holds several samples of most prompts) run each prompt once,
 * and short rows run apart from long ones when that saves padding; neither changes a value.
 */
export function policyTerms(model: CausalLM, s: SequenceRows, opts: PolicyTermsOptions = {}): PolicyTerms {
  const { rows: B, length: T } = s;
  const V = model.config.vocabSize;
  const shared = (opts.sharePrompts ?? true) ? sharedPrompts(s) : null;
  const groups = ((opts.lengthBuckets ?? true) ? lengthBuckets(s) : null) ?? [Array.from({ length: B }, (_, i) => i)];
  const skip = shared === null ? 0 : shared.tp - 1;
  return tf.tidy(() => {
    const { logits, lengths } = groupLogits(model, s, groups, shared);
    // Each group's (log-prob, entropy) at its positions skip … t−2, right-padded to T−1−skip positions.
    const parts = groups.map((idx, g) => {
      const n = lengths[g] - 1 - skip;
      const onehot = new Float32Array(idx.length * n * V); // each position's next token
      idx.forEach((i, r) => { for (let t = skip; t < skip + n; t++) onehot[(r * n + t - skip) * V + s.targets[i * (T - 1) + t]] = 1; });
      const terms = tf.reshape(tokenTerms(logits[g], tf.tensor2d(onehot, [idx.length * n, V])), [idx.length, n, 2]);
      return n < T - 1 - skip ? tf.concat([terms, tf.zeros([idx.length, T - 1 - skip - n, 2])], 1) : terms;
    });
    let terms: tf.Tensor = parts.length === 1 ? parts[0] : tf.concat(parts, 0); // rows in group order
    if (parts.length > 1) {
      // Rows back in order by a permutation matmul (exact: one 1 per row; wasm has no gather gradient).
      const perm = new Float32Array(B * B); // perm[i][j] = 1 where row j of the groups is row i
      groups.flat().forEach((i, j) => { perm[i * B + j] = 1; });
      terms = tf.reshape(mm(tf.tensor2d(perm, [B, B]), tf.reshape(terms, [B, -1]) as tf.Tensor2D), [B, T - 1 - skip, 2]);
    }
    if (skip > 0) terms = tf.concat([tf.zeros([B, skip, 2]), terms], 1); // [B,T−1,2]: prompt positions carry nothing (mask 0)
    const mask = tf.tensor2d(s.responseMask, [B, T - 1]);
    const [lp, h] = tf.split(terms, 2, 2); // [B,T−1,1] each
    const logp = tf.mul(tf.reshape(lp, [B, T - 1]), mask) as tf.Tensor2D;
    const entropy = tf.mul(tf.reshape(h, [B, T - 1]), mask) as tf.Tensor2D;
    return { logp, entropy };
  });
}

/** The same values, recording no gradient tape even inside a gradient closure (old and reference log-probs). */
export function policyTermsNoGrad(model: CausalLM, s: SequenceRows, opts: PolicyTermsOptions = {}): PolicyTerms {
  return withoutTape(() => policyTerms(model, s, opts));
}

/** Work-saving layouts of policyTerms, both on by default; neither changes a value (for ablations and tests). */
export interface PolicyTermsOptions {
  /** Run each distinct prompt once (CausalLM.forwardShared) when the rows share prompts of one length. */
  sharePrompts?: boolean;
  /** Run short rows apart from long ones when that saves BUCKET_SAVING of the padded positions. */
  lengthBuckets?: boolean;
}
