// One rollout batch: P prompts × G samples from the current policy (groups contiguous, as the
// authors' sampler lays them out, grpo.md §1.1 step 2), and which prompts a step uses (data order).
import type { CausalLM } from '../../models';
import { generate, type FinishReason } from '../../sampling';
import { createRng, shuffleInPlace } from '../../util';
import type { SamplingConfig } from './config';
import type { TaskItem, TrainTask } from './task';

export interface Rollout {
  /** The P prompts, in group order. */
  items: readonly TaskItem[];
  groupSize: number;
  /** Per response (N = P·G): prompt ids, completion ids (EOS kept), decoded text (EOS removed), finish reason. */
  promptIds: number[][];
  completionIds: number[][];
  texts: string[];
  finish: FinishReason[];
  /**
   * Per response, log π(token) of each completion token under the sampling-time weights: the
   * untempered, unfiltered model's log-softmax of the logits the token was drawn from (generate's
   * modelLogProbs), whatever the sampling temperature. grpoStep's log π_old (oldLogProbs 'sampler').
   */
  logProbs: number[][];
  /** Wall time of sampling, ms. */
  ms: number;
}

/** Samples G completions of each item with `seed`; response g·G + j is sample j of item g. */
export async function sampleRollout(
  model: CausalLM, task: TrainTask, items: readonly TaskItem[], groupSize: number, s: SamplingConfig, seed: number,
): Promise<Rollout> {
  const t0 = performance.now();
  const promptIds: number[][] = [];
  for (const item of items) {
    const ids = task.encodePrompt(item.prompt);
    for (let j = 0; j < groupSize; j++) promptIds.push(ids);
  }
  const out = await generate(model, promptIds, {
    maxNewTokens: s.maxNewTokens, temperature: s.temperature, seed, eosIds: task.eosIds, padId: task.padId,
    microBatchSize: s.microBatchSize, decode: (ids) => task.decode(ids),
    stopStrings: task.stopStrings, includeStopString: task.includeStopString, modelLogProbs: true,
  });
  return {
    items, groupSize, promptIds,
    completionIds: out.sequences.map((g) => g.tokens),
    texts: out.sequences.map((g) => g.text ?? task.decode(g.tokens)),
    finish: out.sequences.map((g) => g.finishReason),
    logProbs: out.sequences.map((g) => g.modelLogProbs ?? []),
    ms: performance.now() - t0,
  };
}

/**
 * The P items rollout batch `step` uses: positions step·P … step·P+P−1 of an endless stream of
 * epochs, each a permutation of the items seeded by (seed, epoch). A pure function of its
 * arguments, so a resumed run needs only the step to continue the same data order.
 */
export function itemsForStep(items: readonly TaskItem[], perStep: number, seed: number, step: number): TaskItem[] {
  const n = items.length;
  if (n === 0) throw new Error('itemsForStep: the task has no items');
  const out: TaskItem[] = [];
  let cachedEpoch = -1;
  let order: number[] = [];
  for (let k = 0; k < perStep; k++) {
    const pos = step * perStep + k;
    const epoch = Math.floor(pos / n);
    if (epoch !== cachedEpoch) {
      const rng = createRng(seed).fork(`data/${epoch}`);
      order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng);
      cachedEpoch = epoch;
    }
    out.push(items[order[pos % n]]);
  }
  return out;
}

/** The data position (prompts consumed) before rollout batch `step`: recorded in checkpoints. */
export const dataPosition = (perStep: number, step: number): number => perStep * step;
