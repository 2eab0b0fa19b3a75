// `random<p>` (spec §3.6): each completion independently gets 1 iff a uniform draw is below p,
// ignoring text and label. Unlike the original, whose draws came from an unseeded Python
// `random` in a Ray worker, the draws here come from the group's seeded rng: draw i belongs to
// completion i, so the same seed gives the same rewards.
import type { BaseRewardFn } from './types';

export const randomReward: BaseRewardFn = (group, ctx) => group.completions.map(() => (group.rng.next() < ctx.rate ? 1 : 0));
