// The group barrier: rewards that need a prompt's whole group (`ttt` votes across it) get the whole
// group or refuse. Engines do not send groups: OpenRLHF >= 0.10 posts one completion per request as
// each generation finishes, verl's reward loop calls one sample at a time, TRL on several GPUs scores
// each GPU's share; none says how many completions a prompt has. So the barrier is told the group size
// (--group-size, or `group_size` in the request), keys completions by prompt (group key, plus reward,
// mode, seed, size and `step`), holds each request until every group it touches has `size` members,
// scores each completed group once and answers every member.
//
//   * Deadline: a group still incomplete after `timeoutMs` fails; each of its requests gets a 422 that
//     names the reward, what was missing and the usual causes, and the server logs it (throttled).
//   * `wait_for_group: false` (a caller that blocks until answered, one sample at a time): incomplete
//     groups are refused at once instead of deadlocking that caller.
//   * Keys that are the label alone (no id, no prompt) may mix prompts: they are refused when waiting,
//     and accepted in a whole-batch request only when each such key has exactly `size` members.
//   * Retries: OpenRLHF retries a failed or timed-out request up to 5 times. A member whose client hung up
//     is taken over by the next identical request for that group, and the answers (or the failure) of a
//     finished group are remembered for `retryMemoryMs`, so a retry gets the same answer at once instead of
//     opening a group that can never fill.
import { RequestError } from './protocol';
import { groupKey } from './score';
import type { ThrottledLog } from './throttle';
import { EXTRA_LOG_NAMES, type ScoreItem, type ScoreJob, type ScoreResult } from './types';

export interface GroupBarrierOptions {
  /** Default group size (--group-size); a request's `group_size` wins. */
  groupSize?: number;
  /** How long a group may wait for its members, ms. */
  timeoutMs: number;
  /** Completions that may wait at once (memory bound); beyond it requests get 503. */
  maxWaiting: number;
  /** How long finished groups' answers and failures are kept for retries, ms. */
  retryMemoryMs: number;
  score: (job: ScoreJob) => Promise<ScoreResult>;
  log: ThrottledLog;
}

export const DEFAULT_GROUP_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_WAITING = 262_144;
export const DEFAULT_RETRY_MEMORY_MS = 900_000;
/** Entries of the retry memory (one per finished completion). */
const RETRY_MEMORY_ENTRIES = 262_144;

/** One completion's answer: its reward and its extra_logs values. */
interface ItemScore {
  reward: number;
  logs: Record<string, number>;
}

/** One waiting request. */
interface Waiter {
  scores: (ItemScore | undefined)[];
  left: number;
  settled: boolean;
  /** Its client hung up; its members wait on, for a retry to take over. */
  detached: boolean;
  resolve: (r: ScoreResult) => void;
  reject: (e: Error) => void;
}

interface Member {
  item: ScoreItem;
  waiter: Waiter;
  /** Position in its waiter's request. */
  index: number;
}

interface Group {
  key: string;
  /** The key names one prompt (not the label alone); only such groups are remembered for retries, since a
   * label-only key is shared by other prompts whose completions may be identical. */
  exact: boolean;
  reward: string;
  size: number;
  members: Member[];
  timer?: ReturnType<typeof setTimeout>;
}

interface Outcome {
  at: number;
  score?: ItemScore;
  error?: RequestError;
}

export interface BarrierStats {
  groupsWaiting: number;
  completionsWaiting: number;
}

export interface Submission {
  result: Promise<ScoreResult>;
  /** The client hung up: its completions stay in their groups (they are real samples) for a retry to take over. */
  detach(): void;
}

export class GroupBarrier {
  private readonly pending = new Map<string, Group>();
  private readonly memory = new Map<string, Outcome>();
  private waiting = 0;
  private closed = false;

  constructor(private readonly opts: GroupBarrierOptions) {}

  stats(): BarrierStats {
    return { groupsWaiting: this.pending.size, completionsWaiting: this.waiting };
  }

  /** Throws RequestError for a request that can never be answered correctly (nothing joins then). */
  submit(job: ScoreJob): Submission {
    if (this.closed) throw new RequestError(503, 'the reward service is shutting down');
    const grouping = job.grouping ?? { waitForGroup: true };
    const size = grouping.groupSize ?? this.opts.groupSize;
    if (size === undefined) throw new RequestError(400, noSizeMessage(job.reward));
    const base = [job.reward, job.mode, job.seed, size, grouping.step ?? ''].join('\u0000');
    const keys = job.items.map((it) => {
      const k = groupKey(it);
      return { ...k, full: `${base}\u0000${k.key}` };
    });

    let waiter!: Waiter;
    const result = new Promise<ScoreResult>((resolve, reject) => {
      waiter = { scores: new Array<ItemScore | undefined>(job.items.length), left: job.items.length, settled: false, detached: false, resolve, reject };
    });
    const submission: Submission = { result, detach: () => { waiter.detached = true; } };

    // Retries of members of finished groups: their remembered answer, or their group's failure.
    const fresh: number[] = [];
    job.items.forEach((it, i) => {
      const o = keys[i].exact ? this.recall(`${keys[i].full}\u0000${it.completion}`) : undefined;
      if (o?.error) throw o.error;
      if (o?.score) { waiter.scores[i] = o.score; waiter.left--; } else fresh.push(i);
    });

    const completed = grouping.waitForGroup ? this.join(job, size, keys, fresh, waiter) : this.wholeGroups(job, size, keys, fresh, waiter);
    if (completed.length > 0) this.scoreGroups(job, completed);
    else if (waiter.left === 0) settle(waiter);
    return submission;
  }

  /** Fails every waiting group (the service is shutting down). */
  close(): void {
    this.closed = true;
    for (const g of this.pending.values()) {
      clearTimeout(g.timer);
      const e = new RequestError(503, `the reward service is shutting down; the group of ${g.size} completions this request belongs to had ${g.members.length}`);
      for (const m of g.members) fail(m.waiter, e);
    }
    this.pending.clear();
    this.waiting = 0;
  }

  /** Adds the fresh items to their waiting groups; returns the groups they completed. */
  private join(job: ScoreJob, size: number, keys: { key: string; exact: boolean; full: string }[], fresh: number[], waiter: Waiter): Group[] {
    const labelOnly = fresh.filter((i) => !keys[i].exact);
    if (labelOnly.length > 0) throw new RequestError(422, labelOnlyWaitMessage(job.reward, labelOnly));
    // Validate everything before anything joins, so a refused request leaves no member behind.
    let joining = 0;
    for (const i of fresh) {
      const g = this.pending.get(keys[i].full);
      if (g && g.members[0].item.label !== job.items[i].label) throw new RequestError(400, `labels[${i}] is ${JSON.stringify(job.items[i].label)}, but its group (${describeGroup(job.items[i])}) has label ${JSON.stringify(g.members[0].item.label)}; one group has one label`);
      if (!this.orphanOf(g, job.items[i].completion)) joining++;
    }
    checkOneLabelPerGroup(job, fresh, keys);
    if (this.waiting + joining > this.opts.maxWaiting) throw new RequestError(503, `${this.waiting} completions are already waiting for the rest of their groups (limit ${this.opts.maxWaiting}); most likely --group-size is larger than the engine's samples per prompt`);

    const completed: Group[] = [];
    for (const i of fresh) {
      const full = keys[i].full;
      let g = this.pending.get(full);
      if (!g) {
        const created: Group = { key: full, exact: true, reward: job.reward, size, members: [] };
        created.timer = setTimeout(() => this.expire(created), this.opts.timeoutMs);
        this.pending.set(full, created);
        g = created;
      }
      const orphan = this.orphanOf(g, job.items[i].completion);
      if (orphan) { orphan.waiter = waiter; orphan.index = i; continue; }
      g.members.push({ item: job.items[i], waiter, index: i });
      this.waiting++;
      if (g.members.length === size) {
        clearTimeout(g.timer);
        this.pending.delete(full);
        this.waiting -= size;
        completed.push(g);
      }
    }
    return completed;
  }

  /** wait_for_group false: the request must hold whole groups; cut each key's items into groups of `size`. */
  private wholeGroups(job: ScoreJob, size: number, keys: { key: string; exact: boolean; full: string }[], fresh: number[], waiter: Waiter): Group[] {
    const byKey = new Map<string, number[]>();
    for (const i of fresh) {
      const list = byKey.get(keys[i].full);
      if (list) list.push(i); else byKey.set(keys[i].full, [i]);
    }
    for (const idx of byKey.values()) {
      const { exact } = keys[idx[0]];
      if (!exact && idx.length > size) throw new RequestError(422, ambiguousMessage(job, size, idx));
      if (idx.length % size !== 0) throw new RequestError(422, incompleteNoWaitMessage(job.reward, size, idx));
    }
    checkOneLabelPerGroup(job, fresh, keys);
    const groups: Group[] = [];
    for (const [full, idx] of byKey) {
      for (let k = 0; k < idx.length; k += size) {
        groups.push({ key: full, exact: keys[idx[0]].exact, reward: job.reward, size, members: idx.slice(k, k + size).map((i) => ({ item: job.items[i], waiter, index: i })) });
      }
    }
    return groups;
  }

  /** A member of `g` with this completion whose client hung up (a retry takes it over). */
  private orphanOf(g: Group | undefined, completion: string): Member | undefined {
    return g?.members.find((m) => m.waiter.detached && m.item.completion === completion);
  }

  /** Scores completed groups in one job (one scorer call, split over threads by the pool) and answers every member. */
  private scoreGroups(job: ScoreJob, groups: Group[]): void {
    const members = groups.flatMap((g) => g.members.map((m) => ({ g, m })));
    const items = groups.flatMap((g, k) => g.members.map((m) => ({ ...m.item, group: `barrier:${k}` })));
    this.opts.score({ reward: job.reward, mode: job.mode, seed: job.seed, items }).then((r) => {
      members.forEach(({ g, m }, j) => {
        const logs: Record<string, number> = {};
        for (const [name, values] of Object.entries(r.extraLogs)) logs[name] = values[j];
        const score: ItemScore = { reward: r.rewards[j], logs };
        if (g.exact) this.remember(`${g.key}\u0000${m.item.completion}`, { at: Date.now(), score });
        fill(m.waiter, m.index, score);
      });
    }, (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      for (const { m } of members) fail(m.waiter, err);
    });
  }

  private expire(g: Group): void {
    if (this.pending.get(g.key) !== g) return;
    this.pending.delete(g.key);
    this.waiting -= g.members.length;
    const first = g.members[0].item;
    const message = deadlineMessage(g, first, this.opts.timeoutMs);
    const error = new RequestError(422, message);
    for (const m of g.members) {
      this.remember(`${g.key}\u0000${m.item.completion}`, { at: Date.now(), error });
      fail(m.waiter, error);
    }
    this.opts.log('incomplete-group', `reward service: ${message}`);
  }

  private remember(key: string, o: Outcome): void {
    this.memory.delete(key);
    this.memory.set(key, o);
    if (this.memory.size > RETRY_MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
  }

  private recall(key: string): Outcome | undefined {
    const o = this.memory.get(key);
    if (o && Date.now() - o.at > this.opts.retryMemoryMs) {
      this.memory.delete(key);
      return undefined;
    }
    return o;
  }
}

function fill(w: Waiter, i: number, s: ItemScore): void {
  if (w.settled || w.scores[i] !== undefined) return;
  w.scores[i] = s;
  if (--w.left === 0) settle(w);
}

function settle(w: Waiter): void {
  if (w.settled) return;
  w.settled = true;
  const scores = w.scores as ItemScore[];
  const extraLogs: Record<string, number[]> = {};
  const names = scores.length > 0 ? Object.keys(scores[0].logs) : EXTRA_LOG_NAMES; // an empty chunk still names them
  for (const name of names) extraLogs[name] = scores.map((s) => s.logs[name]);
  w.resolve({ rewards: scores.map((s) => s.reward), extraLogs });
}

function fail(w: Waiter, e: Error): void {
  if (w.settled) return;
  w.settled = true;
  w.reject(e);
}

/** Items of one explicit group within a request must share a label (prompt keys include the label). */
function checkOneLabelPerGroup(job: ScoreJob, fresh: number[], keys: { full: string }[]): void {
  const first = new Map<string, number>();
  for (const i of fresh) {
    const j = first.get(keys[i].full);
    if (j === undefined) first.set(keys[i].full, i);
    else if (job.items[j].label !== job.items[i].label) throw new RequestError(400, `labels[${i}] differs from labels[${j}] although groups[${i}] equals groups[${j}]; one group has one label`);
  }
}

// --- messages: the reward, what the engine did, the fix ---

const NEEDS = (reward: string) => `reward "${reward}" scores each completion against the other completions of its prompt (majority vote), so it needs the prompt's whole group`;
const SIZE_FLAGS = 'OpenRLHF --rollout.n_samples_per_prompt (--n_samples_per_prompt), verl actor_rollout_ref.rollout.n, TRL num_generations';

/** The group an item names: its id as the client sent it (protocol.ts prefixes the JSON type), or its prompt's end. */
function describeGroup(it: ScoreItem): string {
  if (it.group !== undefined) return `groups id ${JSON.stringify(it.group.slice(2))}`;
  return `prompt ${JSON.stringify(it.prompt.length > 60 ? `…${it.prompt.slice(-60)}` : it.prompt)}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

function list(idx: number[]): string {
  return idx.length <= 8 ? idx.join(', ') : `${idx.slice(0, 8).join(', ')}, … (${idx.length} in all)`;
}

function noSizeMessage(reward: string): string {
  return `${NEEDS(reward)}, and the service does not know how many completions a prompt has: start it with --group-size N (N = ${SIZE_FLAGS}) or send "group_size" with each request`;
}

function labelOnlyWaitMessage(reward: string, idx: number[]): string {
  return `${NEEDS(reward)}, but completions [${list(idx)}] come with neither a groups id nor a prompt, so the service cannot tell which prompt each belongs to (verl gives reward functions no prompt). Fix: give the dataset rows an extra_info.index (verl's example preprocessing scripts do), or send whole batches with groups ids`;
}

function ambiguousMessage(job: ScoreJob, size: number, idx: number[]): string {
  return `${NEEDS(job.reward)}, but completions [${list(idx)}] share the label ${JSON.stringify(job.items[idx[0]].label)} and carry neither a groups id nor a prompt: ${idx.length} completions for a group size of ${size} come from several prompts, and the service cannot tell which is which. Fix: give the dataset rows an extra_info.index (verl), or send groups ids`;
}

function incompleteNoWaitMessage(reward: string, size: number, idx: number[]): string {
  return `${NEEDS(reward)}: this request holds ${idx.length % size} of the ${size} completions of the group of completions [${list(idx)}] and asked not to wait for the rest (wait_for_group: false, as a reward function called one sample at a time and blocking sends). Fix: send whole groups in one request (verl: use_reward_loop=False with the batch reward manager), or let requests wait (verl's reward loop: compute_score_async)`;
}

function deadlineMessage(g: Group, first: ScoreItem, timeoutMs: number): string {
  return `${NEEDS(g.reward)}; only ${g.members.length} of its ${g.size} completions arrived within ${seconds(timeoutMs)} s (${describeGroup(first)}, label ${JSON.stringify(first.label)}). `
    + `Either --group-size ${g.size} is not the engine's samples per prompt (${SIZE_FLAGS}), or the prompt's completions went to several reward servers `
    + '(an engine given several reward URLs splits each batch between them: give it one URL), or the engine stopped sending';
}
