// Parsing and checking the JSON bodies of /v1/completions and /v1/chat/completions, once, at the
// boundary: a bad field becomes a 400 naming the field, what it must be and what came in.
import { ApiError } from './api-error';
import type { ResolvedSamplingParams } from '../sampling';

export type ServeChatRole = 'system' | 'user' | 'assistant';

export interface ServeChatMessage {
  role: ServeChatRole;
  content: string;
}

/** Sampling parameters common to both endpoints, resolved with the server's defaults (the client's shape). */
export type ServeSampling = ResolvedSamplingParams;

export interface CompletionRequest {
  model: string | null;
  prompts: string[];
  sampling: ServeSampling;
}

export interface ChatRequest {
  model: string | null;
  messages: ServeChatMessage[];
  sampling: ServeSampling;
}

export interface RequestLimits {
  /** Samples per prompt at most. */
  maxN: number;
  /** max_tokens at most. */
  maxTokensLimit: number;
  /** max_tokens when the request does not say. */
  defaultMaxTokens: number;
  /** Prompts per completion request at most. */
  maxPrompts: number;
}

type Body = Record<string, unknown>;

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function bad(field: string, want: string, got: unknown): never {
  throw new ApiError(400, `"${field}" must be ${want}, received ${describe(got)}`, field);
}

/** The body as an object, or a 400. */
export function asObject(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, `the request body must be a JSON object, received ${describe(body)}`);
  return body as Body;
}

function optionalNumber(b: Body, field: string, def: number, ok: (v: number) => boolean, want: string): number {
  const v = b[field];
  if (v === undefined || v === null) return def;
  if (typeof v !== 'number' || !ok(v)) bad(field, want, v);
  return v as number;
}

function sampling(b: Body, limits: RequestLimits): ServeSampling {
  if (b.stream === true) throw new ApiError(400, '"stream": true is not supported by this server; send stream false or leave it out', 'stream');
  const n = optionalNumber(b, 'n', 1, (v) => Number.isInteger(v) && v >= 1 && v <= limits.maxN, `an integer in [1, ${limits.maxN}]`);
  const temperature = optionalNumber(b, 'temperature', 1, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0 (0 = greedy)');
  const topP = optionalNumber(b, 'top_p', 1, (v) => v > 0 && v <= 1, 'a number in (0, 1]');
  const maxTokens = optionalNumber(
    b, 'max_tokens', limits.defaultMaxTokens,
    (v) => Number.isInteger(v) && v >= 1 && v <= limits.maxTokensLimit, `an integer in [1, ${limits.maxTokensLimit}]`,
  );
  let stop: string[] = [];
  const s = b.stop;
  if (typeof s === 'string') stop = [s];
  else if (Array.isArray(s)) stop = s as string[];
  else if (s !== undefined && s !== null) bad('stop', 'a string or an array of strings', s);
  if (stop.length > 16) bad('stop', 'at most 16 strings', `${stop.length} strings`);
  stop.forEach((x, i) => (typeof x === 'string' && x.length > 0 ? undefined : bad(`stop[${i}]`, 'a non-empty string', x)));
  const seedRaw = b.seed;
  if (seedRaw !== undefined && seedRaw !== null && !(typeof seedRaw === 'number' && Number.isSafeInteger(seedRaw))) bad('seed', 'an integer', seedRaw);
  const inc = b.include_stop_str_in_output;
  if (inc !== undefined && inc !== null && typeof inc !== 'boolean') bad('include_stop_str_in_output', 'true or false', inc);
  return { n, temperature, topP, maxTokens, stop, includeStopString: inc === true, seed: typeof seedRaw === 'number' ? seedRaw : null };
}

function modelField(b: Body): string | null {
  const m = b.model;
  if (m === undefined || m === null) return null;
  if (typeof m !== 'string') bad('model', 'a string', m);
  return m as string;
}

/** POST /v1/completions: "prompt" is a string or an array of strings (token-id prompts are not supported). */
export function parseCompletionRequest(body: unknown, limits: RequestLimits): CompletionRequest {
  const b = asObject(body);
  const p = b.prompt;
  let prompts: string[];
  if (p === undefined) throw new ApiError(400, 'missing field "prompt" (a string or an array of strings)', 'prompt');
  if (typeof p === 'string') prompts = [p];
  else if (Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === 'string')) prompts = p as string[];
  else bad('prompt', 'a string or a non-empty array of strings (token-id prompts are not supported)', p);
  if (prompts!.length > limits.maxPrompts) bad('prompt', `at most ${limits.maxPrompts} prompts`, `${prompts!.length} prompts`);
  return { model: modelField(b), prompts: prompts!, sampling: sampling(b, limits) };
}

const ROLES: readonly string[] = ['system', 'user', 'assistant'];

/** POST /v1/chat/completions: "messages" is a non-empty array of {role, content: string}. */
export function parseChatRequest(body: unknown, limits: RequestLimits): ChatRequest {
  const b = asObject(body);
  const ms = b.messages;
  if (ms === undefined) throw new ApiError(400, 'missing field "messages" (an array of {"role", "content"})', 'messages');
  if (!Array.isArray(ms) || ms.length === 0) bad('messages', 'a non-empty array of {"role", "content"}', ms);
  const messages = (ms as unknown[]).map((m, i): ServeChatMessage => {
    const o = m as { role?: unknown; content?: unknown } | null;
    if (o === null || typeof o !== 'object') bad(`messages[${i}]`, 'an object {"role", "content"}', m);
    if (typeof o!.role !== 'string' || !ROLES.includes(o!.role)) bad(`messages[${i}].role`, 'one of system, user, assistant', o!.role);
    if (typeof o!.content !== 'string') bad(`messages[${i}].content`, 'a string', o!.content);
    return { role: o!.role as ServeChatRole, content: o!.content as string };
  });
  return { model: modelField(b), messages, sampling: sampling(b, limits) };
}
