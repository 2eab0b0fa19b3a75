// Request parsing and response writing for the two scoring endpoints.
//   POST /get_reward  OpenRLHF's remote reward protocol (grpo.md §4.1): {query, prompts, labels}
//   POST /score       the same answer for clients that hold the completion alone (verl, TRL)
// Both accept the extension fields reward, mode, seed, groups, group_size, wait_for_group and step
// (OpenRLHF never sends them). Unknown keys are ignored so that a newer OpenRLHF adding a key does not
// break training.
import type { VerifierMode } from '../verifier';
import type { GroupingRequest, PrefixMismatch, ScoreItem, ScoreJob, ScoreResult } from './types';

/** A request the client must fix: answered with `status` and `{"error": message}`. */
export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface ParseDefaults {
  reward: string;
  mode: VerifierMode;
  seed: number;
  stripTokens: readonly string[];
  prefixMismatch: PrefixMismatch;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Parses the body text as a JSON object (400 otherwise). */
export function parseJsonObject(text: string): Record<string, Json> {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    throw new RequestError(400, `body is not valid JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RequestError(400, `body must be a JSON object, received ${describe(value)}`);
  }
  return value;
}

/** OpenRLHF body -> job. `prompts[i]` must prefix `query[i]` (after stripping); the rest is the completion. */
export function parseOpenRlhfRequest(body: Record<string, Json>, d: ParseDefaults): ScoreJob {
  const query = stringArray(body, 'query', true);
  const n = query.length;
  const prompts = stringArray(body, 'prompts', true, n);
  const labels = labelArray(body, 'labels', true, n);
  const groups = groupArray(body, n);
  const items: ScoreItem[] = query.map((q, i) => {
    const text = strip(q, d.stripTokens);
    const prompt = strip(prompts[i], d.stripTokens);
    let completion: string;
    if (text.startsWith(prompt)) completion = text.slice(prompt.length);
    else if (d.prefixMismatch === 'whole-query') completion = text;
    else throw new RequestError(422, prefixMessage(i, firstDifference(prompt, text)));
    return withGroup({ prompt, completion, label: labels[i] }, groups?.[i]);
  });
  return { ...options(body, d), items };
}

/** `/score` body -> job: {completions, prompts?, labels?, groups?}. Missing prompts/labels are "". */
export function parseScoreRequest(body: Record<string, Json>, d: ParseDefaults): ScoreJob {
  const completions = stringArray(body, 'completions', true);
  const n = completions.length;
  const prompts = body.prompts === undefined ? undefined : stringArray(body, 'prompts', true, n);
  const labels = body.labels === undefined ? undefined : labelArray(body, 'labels', true, n);
  const groups = groupArray(body, n);
  const items = completions.map((completion, i) => withGroup({ prompt: prompts?.[i] ?? '', completion, label: labels?.[i] ?? '' }, groups?.[i]));
  return { ...options(body, d), items };
}

// OpenRLHF >= 0.10 keeps prompt + response within --data.max_len (default 2048) and cuts the prompt's
// tokens from the left to max_len - max_new_tokens, so with 3,072 new tokens every prompt loses its start
// (or all of it) and no query starts with its prompt. The 422 is then the only sign, so it says so.
function prefixMessage(i: number, at: number): string {
  return `prompts[${i}] is not a prefix of query[${i}] (first difference at character ${at}). Usual causes: `
    + 'the engine truncated the prompt (OpenRLHF >= 0.10 fits prompt + response into --data.max_len, default 2048, '
    + 'and cuts the prompt to max_len minus --rollout.max_new_tokens: set --data.max_len to the prompt budget plus '
    + 'max_new_tokens, e.g. 4096 = 1024 + 3072), or pad tokens in the query (--strip-token). The server was started '
    + 'with --prefix-mismatch error';
}

function withGroup(item: ScoreItem, group: string | undefined): ScoreItem {
  return group === undefined ? item : { ...item, group };
}

function options(body: Record<string, Json>, d: ParseDefaults): Omit<ScoreJob, 'items'> {
  const reward = body.reward ?? d.reward;
  if (typeof reward !== 'string' || reward === '') throw new RequestError(400, `reward: expected a non-empty string, received ${describe(reward)}`);
  const mode = body.mode ?? d.mode;
  if (mode !== 'strict' && mode !== 'authors') throw new RequestError(400, `mode: expected "strict" or "authors", received ${describe(mode)}`);
  const seed = body.seed ?? d.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw new RequestError(400, `seed: expected an integer, received ${describe(seed)}`);
  return { reward, mode, seed, grouping: grouping(body) };
}

/** Largest accepted `group_size` (a sanity bound; engines sample 4 to 64 per prompt). */
const MAX_GROUP_SIZE = 65_536;

function grouping(body: Record<string, Json>): GroupingRequest {
  const size = body.group_size;
  if (size !== undefined && size !== null && !(typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= MAX_GROUP_SIZE)) {
    throw new RequestError(400, `group_size: expected an integer in [1, ${MAX_GROUP_SIZE}], received ${describe(size)}`);
  }
  const wait = body.wait_for_group;
  if (wait !== undefined && wait !== null && typeof wait !== 'boolean') throw new RequestError(400, `wait_for_group: expected true or false, received ${describe(wait)}`);
  const step = body.step;
  if (step !== undefined && step !== null && typeof step !== 'string' && !(typeof step === 'number' && Number.isSafeInteger(step))) {
    throw new RequestError(400, `step: expected a string or an integer, received ${describe(step)}`);
  }
  const out: GroupingRequest = { waitForGroup: wait !== false };
  if (typeof size === 'number') out.groupSize = size;
  if (typeof step === 'string' || typeof step === 'number') out.step = String(step);
  return out;
}

function stringArray(body: Record<string, Json>, field: string, required: boolean, length?: number): string[] {
  const v = body[field];
  if (v === undefined) {
    if (required) throw new RequestError(400, `${field}: missing; expected an array of strings`);
    return [];
  }
  if (!Array.isArray(v)) throw new RequestError(400, `${field}: expected an array of strings, received ${describe(v)}`);
  if (length !== undefined && v.length !== length) throw new RequestError(400, `${field}: has ${v.length} elements, expected ${length} (one per query/completion)`);
  v.forEach((s, i) => {
    if (typeof s !== 'string') throw new RequestError(400, `${field}[${i}]: expected a string, received ${describe(s)}`);
  });
  return v as string[];
}

/** OpenRLHF labels may be any JSON value: strings as they are, numbers as written by String(), null as "". */
function labelArray(body: Record<string, Json>, field: string, required: boolean, length: number): string[] {
  const v = body[field];
  if (v === undefined) {
    if (required) throw new RequestError(400, `${field}: missing; expected an array (string, number or null per query)`);
    return [];
  }
  if (!Array.isArray(v)) throw new RequestError(400, `${field}: expected an array, received ${describe(v)}`);
  if (v.length !== length) throw new RequestError(400, `${field}: has ${v.length} elements, expected ${length} (one per query/completion)`);
  return v.map((x, i) => {
    if (x === null) return '';
    if (typeof x === 'string') return x;
    if (typeof x === 'number' && Number.isFinite(x)) return String(x);
    throw new RequestError(400, `${field}[${i}]: expected a string, number or null, received ${describe(x)}`);
  });
}

function groupArray(body: Record<string, Json>, length: number): (string | undefined)[] | undefined {
  const v = body.groups;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new RequestError(400, `groups: expected an array (string, integer or null per item), received ${describe(v)}`);
  if (v.length !== length) throw new RequestError(400, `groups: has ${v.length} elements, expected ${length}`);
  // null: this item's prompt is unknown to the client (verl without extra_info.index); it groups as if absent.
  return v.map((g, i) => {
    if (g === null) return undefined;
    if (typeof g === 'string') return `s:${g}`;
    if (typeof g === 'number' && Number.isSafeInteger(g)) return `n:${g}`;
    throw new RequestError(400, `groups[${i}]: expected a string, an integer or null, received ${describe(g)}`);
  });
}

function strip(text: string, tokens: readonly string[]): string {
  let out = text;
  for (const t of tokens) if (t !== '') out = out.split(t).join('');
  return out;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A float with a decimal point: Python's json turns `1` into int, and torch then makes an int tensor (grpo.md §4.1). */
export function floatJson(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`floatJson: reward must be finite, received ${x}`);
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(1);
  return JSON.stringify(x); // has a '.' or an exponent, both floats to Python
}

function floatList(xs: readonly number[]): string {
  return `[${xs.map(floatJson).join(',')}]`;
}

/** The response body: {"rewards": [...], "scores": [...], "extra_logs": {...}}, every number a float literal. */
export function formatResult(r: ScoreResult): string {
  const logs = Object.entries(r.extraLogs).map(([k, v]) => `${JSON.stringify(k)}:${floatList(v)}`).join(',');
  const rewards = floatList(r.rewards);
  return `{"rewards":${rewards},"scores":${rewards},"extra_logs":{${logs}}}`;
}
