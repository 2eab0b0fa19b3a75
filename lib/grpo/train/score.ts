// Scoring a rollout: the training reward (any name of the authors' grammar, compounds included),
// each `_AND_` part of a compound separately (for per-component metrics), and, whatever reward
// trains, the ground-truth accuracy (`math` against the gold label) and the code-reasoning
// frequency (mentionsPython). Every reward call of group g at step s gets a fresh rng forked from
// the same label, so a component reproduces exactly the values it contributed to the compound.
import { mentionsPython } from '../../detectors';
import { formatRewardAst, makeReward, parseRewardName, type RewardFn } from '../../rewards';
import type { Rng } from '../../util';
import type { Rollout } from './rollout';

export interface RewardSet {
  name: string;
  main: RewardFn;
  /** The `_AND_` parts of a compound name, or the name itself. */
  components: { name: string; fn: RewardFn }[];
  /** `math` against the gold label. */
  accuracy: RewardFn;
}

export function buildRewards(name: string, verifierMode: 'strict' | 'authors', deadlineMs?: number): RewardSet {
  const opts = { verifierMode, deadlineMs };
  const ast = parseRewardName(name);
  const parts = ast.kind === 'and' ? ast.parts.map(formatRewardAst) : [name];
  return {
    name,
    main: makeReward(name, opts),
    components: parts.map((p) => ({ name: p, fn: makeReward(p, opts) })),
    accuracy: makeReward('math', opts),
  };
}

export interface RolloutScores {
  /** Training reward per response. */
  rewards: Float64Array;
  /** Per component name, reward per response. */
  components: Record<string, Float64Array>;
  /** 1 = the completion is right against the gold answer. */
  correct: Uint8Array;
  /** 1 = the completion mentions Python (the paper's code-reasoning detector). */
  python: Uint8Array;
  ms: number;
}

/** `rngFor(g)` must return a NEW rng for group g on every call (same label, same stream). */
export function scoreRollout(r: Rollout, rewards: RewardSet, rngFor: (group: number) => Rng): RolloutScores {
  const t0 = performance.now();
  const G = r.groupSize;
  const N = r.texts.length;
  const out: RolloutScores = {
    rewards: new Float64Array(N),
    components: Object.fromEntries(rewards.components.map((c) => [c.name, new Float64Array(N)])),
    correct: new Uint8Array(N),
    python: new Uint8Array(N),
    ms: 0,
  };
  r.items.forEach((item, g) => {
    const completions = r.texts.slice(g * G, (g + 1) * G);
    // The same (reward name, label) is scored once per group: a plain name is also its own only
    // component, and `math` against a label equal to the gold is also the accuracy.
    const memo = new Map<string, number[]>();
    const score = (name: string, fn: RewardFn, label: string): number[] => {
      const key = `${name}\u0000${label}`;
      let vals = memo.get(key);
      if (vals === undefined) {
        vals = fn({ prompt: item.prompt, label, completions, rng: rngFor(g) });
        if (vals.length !== G) throw new Error(`reward "${name}" returned ${vals.length} values for a group of ${G}`);
        memo.set(key, vals);
      }
      return vals;
    };
    const put = (dst: Float64Array | Uint8Array, vals: number[]): void => vals.forEach((v, j) => { dst[g * G + j] = v; });
    put(out.rewards, score(rewards.name, rewards.main, item.label));
    for (const c of rewards.components) put(out.components[c.name], score(c.name, c.fn, item.label));
    put(out.correct, score('math', rewards.accuracy, item.gold));
    completions.forEach((t, j) => { out.python[g * G + j] = mentionsPython(t) ? 1 : 0; });
  });
  out.ms = performance.now() - t0;
  return out;
}
