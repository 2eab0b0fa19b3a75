// Scoring a job: group the items, give each group a content-derived rng, call the RewardFn.
//
// Grouping: items with the same explicit `groups` id form one group; without ids, items with the
// same (prompt, label) do (first-seen order), as `rlvr reward` groups JSONL lines. OpenRLHF keeps
// each prompt's samples contiguous, so a whole-batch request yields the trainer's groups; its
// per-sample calls yield groups of one (fine for every reward except `ttt`).
//
// Seeding: a completion's random draws come from its own stream,
//   createRng(seed).fork(`${hash(prompt)}.${hash(label)}.${hash(completion)}.${k}`),
// k = how many identical completions precede it in its group. The group's rng hands out draw i to
// completion i (as lib/rewards/random.ts expects; a compound name that draws twice takes each
// completion's next draw). So rewards depend on the request's content only: a retry gets the same
// rewards, and they do not change with how the trainer batches its calls (per sample, per micro-batch,
// sharded over servers) or with which thread scores them. No request counter, no clock.
import { createRng, hashString, rngFrom, type Rng } from '../util';
import { makeReward, type RewardFn } from '../rewards';
import { mentionsPython } from '../detectors';
import type { VerifierMode } from '../verifier';
import type { ScoreItem, ScoreJob, ScoreResult } from './types';

/** One group of a job: its members' positions in the request, and what the reward sees. */
export interface JobGroup {
  prompt: string;
  label: string;
  completions: string[];
  /** Request positions of the completions, same order. */
  indices: number[];
}

/** Which group an item belongs to. `exact`: the key names one prompt (an explicit id, or the prompt text);
 * otherwise it is the label alone (a client that knows neither, e.g. verl without extra_info.index), and
 * different prompts with the same label share it. */
export interface GroupKey {
  key: string;
  exact: boolean;
}

export function groupKey(it: ScoreItem): GroupKey {
  if (it.group !== undefined) return { key: `g\u0000${it.group}`, exact: true };
  return { key: `p\u0000${it.prompt}\u0000${it.label}`, exact: it.prompt !== '' };
}

/** Groups a job's items (explicit ids win; else same prompt and label), first-seen order. */
export function groupItems(items: readonly ScoreItem[]): JobGroup[] {
  const byKey = new Map<string, JobGroup>();
  items.forEach((it, i) => {
    const { key } = groupKey(it);
    const g = byKey.get(key);
    if (!g) byKey.set(key, { prompt: it.prompt, label: it.label, completions: [it.completion], indices: [i] });
    else {
      if (g.label !== it.label) throw new GroupLabelError(i, g.indices[0]);
      g.completions.push(it.completion);
      g.indices.push(i);
    }
  });
  return [...byKey.values()];
}

/** Two items of one explicit group disagree on the label. */
export class GroupLabelError extends Error {
  constructor(readonly index: number, readonly firstIndex: number) {
    super(`labels[${index}] differs from labels[${firstIndex}] although groups[${index}] equals groups[${firstIndex}]; one group has one label`);
    this.name = 'GroupLabelError';
  }
}

/** The rng of one group (see the header): call i draws from completion (i mod n)'s stream. */
export function groupRng(seed: number, g: Pick<JobGroup, 'prompt' | 'label' | 'completions'>): Rng {
  const root = createRng(seed);
  const head = `${hashString(g.prompt)}.${hashString(g.label)}`;
  const seen = new Map<string, number>();
  const keys = g.completions.map((c) => {
    const k = `${head}.${hashString(c)}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return `${k}.${n}`;
  });
  const streams: Rng[] = [];
  let calls = 0;
  const next = (): number => {
    if (keys.length === 0) return root.next();
    const j = calls++ % keys.length;
    streams[j] ??= root.fork(keys[j]);
    return streams[j].next();
  };
  return rngFrom(seed, next, (label) => root.fork(`${head}/${label}`));
}

/** RewardFns by (mode, name), built once. Bounded, because request names are client input. */
export class RewardCache {
  private readonly fns = new Map<string, RewardFn>();
  constructor(private readonly deadlineMs?: number, private readonly maxEntries = 64) {}

  /** Throws makeReward's error (naming the bad part and the known names) for an invalid name. */
  get(name: string, mode: VerifierMode): RewardFn {
    const key = `${mode}\u0000${name}`;
    let fn = this.fns.get(key);
    if (!fn) {
      fn = makeReward(name, { verifierMode: mode, deadlineMs: this.deadlineMs });
      if (this.fns.size >= this.maxEntries) this.fns.delete(this.fns.keys().next().value as string);
      this.fns.set(key, fn);
    }
    return fn;
  }
}

/** Per-group output, before it is scattered back to request order. */
export interface GroupScore {
  rewards: number[];
  mentionsPython: number[];
  hasBoxed: number[];
}

/** Scores groups (any subset of a job's groups: the pool sends each worker a share). */
export function scoreGroups(groups: readonly JobGroup[], job: Pick<ScoreJob, 'reward' | 'mode' | 'seed'>, cache: RewardCache): GroupScore[] {
  const reward = cache.get(job.reward, job.mode);
  const boxed = cache.get('box_only_format', job.mode);
  return groups.map((g) => {
    const group = { prompt: g.prompt, label: g.label, completions: g.completions, rng: groupRng(job.seed, g) };
    const rewards = reward(group);
    if (rewards.length !== g.completions.length) throw new Error(`reward ${job.reward} returned ${rewards.length} values for ${g.completions.length} completions`);
    return {
      rewards,
      mentionsPython: g.completions.map((c) => (mentionsPython(c) ? 1 : 0)),
      hasBoxed: boxed({ ...group, rng: createRng(0) }),
    };
  });
}

/** Puts group outputs back in request order. */
export function assembleResult(n: number, groups: readonly JobGroup[], scores: readonly GroupScore[]): ScoreResult {
  const rewards = new Array<number>(n);
  const mentions = new Array<number>(n);
  const boxed = new Array<number>(n);
  const size = new Array<number>(n);
  groups.forEach((g, k) => {
    g.indices.forEach((idx, j) => {
      rewards[idx] = scores[k].rewards[j];
      mentions[idx] = scores[k].mentionsPython[j];
      boxed[idx] = scores[k].hasBoxed[j];
      size[idx] = g.indices.length;
    });
  });
  return { rewards, extraLogs: { mentions_python: mentions, has_boxed: boxed, group_size: size } };
}

/** Scores a whole job on this thread. */
export function scoreJob(job: ScoreJob, cache: RewardCache): ScoreResult {
  const groups = groupItems(job.items);
  return assembleResult(job.items.length, groups, scoreGroups(groups, job, cache));
}
