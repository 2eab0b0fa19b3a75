// Scores a list of single responses under several reward names at once: the table notebooks show
// and `rlvr reward`-style summaries need. Each item is its own group of one completion.
import { createRng } from '../util';
import { makeReward } from './make';
import type { RewardOptions } from './types';

export interface RewardTableItem {
  id: string;
  completion: string;
  /** Gold, majority-vote or incorrect label. */
  label: string;
  prompt?: string;
}

/** One row per item: its id, then one 0/1 column per reward name (in the order given). */
export type RewardTableRow = { id: string } & Record<string, string | number>;

/**
 * Applies every reward in `names` to every item. Random rewards draw from `createRng(seed).fork(item.id)`,
 * so a row's rewards do not depend on which other items or rewards are in the table.
 */
export function rewardTable(items: readonly RewardTableItem[], names: readonly string[], opts: RewardOptions & { seed?: number } = {}): RewardTableRow[] {
  const { seed = 1, ...rewardOpts } = opts;
  const fns = names.map((name) => [name, makeReward(name, rewardOpts)] as const);
  return items.map((item) => {
    const row: RewardTableRow = { id: item.id };
    for (const [name, fn] of fns) {
      row[name] = fn({ prompt: item.prompt ?? '', label: item.label, completions: [item.completion], rng: createRng(seed).fork(item.id) })[0];
    }
    return row;
  });
}
