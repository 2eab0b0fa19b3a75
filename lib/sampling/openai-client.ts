// A client for OpenAI-compatible completion and chat endpoints (vLLM, SGLang, llama.cpp server,
// Ollama, `rlvr serve-model`). Each of the n samples of a prompt is its own request (n = 1, seed + i),
// so every sample has its own cache entry and an interrupted evaluation resumes sample by sample.
// Requests run through a concurrency limiter, are retried on 429/5xx/timeouts/dropped connections with
// seeded back-off (Retry-After honoured), and time out per attempt through an AbortController.
import { createRng, type Rng } from '../util';
import { createLimiter } from './concurrency';
import { openCompletionCache, type CompletionCache, type JsonValue } from './completion-cache';
import { EndpointHttpError, EndpointNetworkError, EndpointResponseError, EndpointTimeoutError } from './openai-errors';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry';

export interface ApiChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling parameters of one prompt (OpenAI names in the request; camelCase here). */
export interface EndpointSamplingParams {
  /** Samples of this prompt. Default 1. */
  n?: number;
  /** Default 1; 0 = greedy. */
  temperature?: number;
  /** Default 1 (off). */
  topP?: number;
  maxTokens: number;
  stop?: readonly string[];
  /** Keep a matched stop string in the text (vLLM's include_stop_str_in_output; spec §8's R1 "</answer>"). Sent only when true. */
  includeStopString?: boolean;
  /** Sample i is requested with seed + i (vLLM, SGLang and llama.cpp honour per-request seeds). Omitted: no seed is sent. */
  seed?: number;
}

export interface EndpointSample {
  /** 0..n-1. */
  sampleIndex: number;
  text: string;
  /** As the server reported it ('stop', 'length', ...), or null. */
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Whether it came from the on-disk cache (no request made). */
  cached: boolean;
}

/** Diagnostics the client reports as they happen (retries are otherwise silent). */
export type ClientEvent =
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string; retryAfterMs: number | null }
  | { type: 'cache-hit'; sampleIndex: number };

export interface OpenAiClientOptions {
  /** Base URL including the version prefix, e.g. http://localhost:8000/v1. */
  endpoint: string;
  /** The model name the server knows (vLLM: the served model name). */
  model: string;
  /** Sent as "Authorization: Bearer <apiKey>" when given. */
  apiKey?: string;
  /** Requests in flight at most. Default 8. */
  concurrency?: number;
  /** Per-attempt timeout in ms (connection to the last byte of the body). Default 600 000. */
  timeoutMs?: number;
  /** Retry policy; fields left out take DEFAULT_RETRY_POLICY's values. */
  retry?: Partial<RetryPolicy>;
  /** Seed of the back-off jitter. Default 0. */
  seed?: number;
  /** Folder of the on-disk sample cache; omitted: no cache. */
  cacheDir?: string;
  /** Cancels everything (no retry after it fires). */
  signal?: AbortSignal;
  onEvent?: (e: ClientEvent) => void;
  /** Injected for tests: the fetch to use (default globalThis.fetch) and the back-off sleep. */
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface ClientStats {
  /** HTTP requests sent (attempts, retries included). */
  requests: number;
  retries: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface OpenAiClient {
  /** The normalised base URL (no trailing slash). */
  readonly endpoint: string;
  readonly model: string;
  /** POST {endpoint}/completions, n samples of `prompt`. */
  complete(prompt: string, params: EndpointSamplingParams): Promise<EndpointSample[]>;
  /** POST {endpoint}/chat/completions, n samples of the assistant's reply. */
  chat(messages: readonly ApiChatMessage[], params: EndpointSamplingParams): Promise<EndpointSample[]>;
  /** GET {endpoint}/models: the ids the server serves. */
  listModels(): Promise<string[]>;
  stats(): ClientStats;
}

/** OpenAI-style sampling parameters with every default filled in (the client's and the model server's view). */
export interface ResolvedSamplingParams {
  n: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: string[];
  includeStopString: boolean;
  seed: number | null;
}

function resolveParams(p: EndpointSamplingParams): ResolvedSamplingParams {
  const fail = (field: string, want: string, got: unknown): never => {
    throw new Error(`openai client: ${field} must be ${want}, received ${JSON.stringify(got)}`);
  };
  const n = p.n ?? 1;
  if (!Number.isInteger(n) || n < 1) fail('n', 'a positive integer', n);
  const temperature = p.temperature ?? 1;
  if (!(typeof temperature === 'number' && Number.isFinite(temperature) && temperature >= 0)) fail('temperature', 'a finite number >= 0', temperature);
  const topP = p.topP ?? 1;
  if (!(typeof topP === 'number' && topP > 0 && topP <= 1)) fail('topP', 'in (0, 1]', topP);
  if (!Number.isInteger(p.maxTokens) || p.maxTokens < 1) fail('maxTokens', 'a positive integer', p.maxTokens);
  const stop = [...(p.stop ?? [])];
  stop.forEach((s, i) => (typeof s === 'string' && s.length > 0 ? undefined : fail(`stop[${i}]`, 'a non-empty string', s)));
  if (p.seed !== undefined && !Number.isInteger(p.seed)) fail('seed', 'an integer', p.seed);
  return { n, temperature, topP, maxTokens: p.maxTokens, stop, includeStopString: p.includeStopString ?? false, seed: p.seed ?? null };
}

type Attempt =
  | { kind: 'ok'; json: unknown }
  | { kind: 'http'; status: number; message: string; retryAfterMs: number | null }
  | { kind: 'timeout' }
  | { kind: 'network'; message: string };

/** The server's error text: OpenAI's {"error": {"message"}}, vLLM's {"message"} / {"detail"}, else the body. */
function errorMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown };
    if (typeof j.error === 'object' && j.error !== null && typeof j.error.message === 'string') return j.error.message;
    if (typeof j.error === 'string') return j.error;
    if (typeof j.message === 'string') return j.message;
    if (typeof j.detail === 'string') return j.detail;
  } catch {
    // not JSON: show the text
  }
  const t = body.trim();
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

function causeOf(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createOpenAiClient(opts: OpenAiClientOptions): OpenAiClient {
  if (typeof opts.endpoint !== 'string' || !/^https?:\/\//.test(opts.endpoint)) {
    throw new Error(`openai client: endpoint must be an http(s) URL such as http://localhost:8000/v1, received ${JSON.stringify(opts.endpoint)}`);
  }
  if (typeof opts.model !== 'string' || opts.model === '') throw new Error('openai client: model must be a non-empty string (the name the server serves)');
  const endpoint = opts.endpoint.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 600_000;
  if (!(timeoutMs > 0)) throw new Error(`openai client: timeoutMs must be positive, received ${timeoutMs}`);
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const limiter = createLimiter(opts.concurrency ?? 8);
  const jitter: Rng = createRng(opts.seed ?? 0);
  const cache: CompletionCache | null = opts.cacheDir === undefined ? null : openCompletionCache(opts.cacheDir);
  const doFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const stats: ClientStats = { requests: 0, retries: 0, cacheHits: 0, cacheMisses: 0 };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.apiKey !== undefined) headers.authorization = `Bearer ${opts.apiKey}`;

  /** One HTTP exchange under the per-attempt timeout; never throws except on the caller's abort. */
  const attemptOnce = async (url: string, init: { method: string; body?: string }): Promise<Attempt> => {
    opts.signal?.throwIfAborted();
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    opts.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    stats.requests++;
    try {
      const res = await doFetch(url, { method: init.method, headers, body: init.body, signal: ac.signal });
      const text = await res.text();
      if (!res.ok) return { kind: 'http', status: res.status, message: errorMessage(text), retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), Date.now()) };
      try {
        return { kind: 'ok', json: JSON.parse(text) };
      } catch {
        throw new EndpointResponseError(url, `HTTP ${res.status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
      }
    } catch (err) {
      if (err instanceof EndpointResponseError) throw err;
      opts.signal?.throwIfAborted();
      if (ac.signal.aborted) return { kind: 'timeout' };
      return { kind: 'network', message: causeOf(err) };
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  };

  /** attemptOnce with retries; returns the parsed JSON of a 2xx answer or throws a typed error. */
  const request = async (url: string, init: { method: string; body?: string }): Promise<unknown> => {
    for (let attempt = 0; ; attempt++) {
      const r = await limiter.run(() => attemptOnce(url, init));
      if (r.kind === 'ok') return r.json;
      const retryable = r.kind !== 'http' || isRetryableStatus(r.status);
      if (!retryable || attempt >= policy.maxRetries) {
        if (r.kind === 'http') throw new EndpointHttpError(url, r.status, r.message, attempt + 1);
        if (r.kind === 'timeout') throw new EndpointTimeoutError(url, timeoutMs, attempt + 1);
        throw new EndpointNetworkError(url, r.message, attempt + 1);
      }
      const retryAfterMs = r.kind === 'http' ? r.retryAfterMs : null;
      const delayMs = backoffDelayMs(attempt, policy, jitter, retryAfterMs);
      const reason = r.kind === 'http' ? `HTTP ${r.status}` : r.kind === 'timeout' ? `timeout after ${timeoutMs} ms` : r.message;
      stats.retries++;
      opts.onEvent?.({ type: 'retry', url, attempt: attempt + 1, delayMs, reason, retryAfterMs });
      await sleep(delayMs);
    }
  };

  const parseChoice = (url: string, json: unknown, chat: boolean): Omit<EndpointSample, 'sampleIndex' | 'cached'> => {
    const j = json as { choices?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
    if (!Array.isArray(j.choices) || j.choices.length === 0) throw new EndpointResponseError(url, 'no "choices" array');
    const c = j.choices[0] as { text?: unknown; message?: { content?: unknown }; finish_reason?: unknown };
    const raw = chat ? c.message?.content : c.text;
    // Chat servers may send content null for an empty reply.
    const text: string | null = typeof raw === 'string' ? raw : null;
    if (typeof raw !== 'string' && !(chat && raw === null)) {
      throw new EndpointResponseError(url, chat ? 'choices[0].message.content is not a string' : 'choices[0].text is not a string');
    }
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    return {
      text: text ?? '',
      finishReason: typeof c.finish_reason === 'string' ? c.finish_reason : null,
      promptTokens: num(j.usage?.prompt_tokens),
      completionTokens: num(j.usage?.completion_tokens),
    };
  };

  const sampleAll = async (api: 'completions' | 'chat', input: { prompt: string } | { messages: ApiChatMessage[] }, params: EndpointSamplingParams): Promise<EndpointSample[]> => {
    const p = resolveParams(params);
    const url = `${endpoint}/${api === 'chat' ? 'chat/completions' : 'completions'}`;
    const inputJson = input as unknown as { [k: string]: JsonValue };
    const one = async (i: number): Promise<EndpointSample> => {
      const seed = p.seed === null ? null : p.seed + i;
      const key: JsonValue = {
        v: 1, api, model: opts.model, ...inputJson,
        temperature: p.temperature, top_p: p.topP, max_tokens: p.maxTokens, stop: p.stop, include_stop: p.includeStopString, seed, sample: i,
      };
      const hit = cache?.get(key);
      if (hit !== undefined) {
        stats.cacheHits++;
        opts.onEvent?.({ type: 'cache-hit', sampleIndex: i });
        return { ...(hit as unknown as Omit<EndpointSample, 'sampleIndex' | 'cached'>), sampleIndex: i, cached: true };
      }
      if (cache !== null) stats.cacheMisses++;
      const body: Record<string, unknown> = { model: opts.model, ...input, n: 1, temperature: p.temperature, top_p: p.topP, max_tokens: p.maxTokens };
      if (p.stop.length > 0) body.stop = p.stop;
      if (p.includeStopString) body.include_stop_str_in_output = true;
      if (seed !== null) body.seed = seed;
      const got = parseChoice(url, await request(url, { method: 'POST', body: JSON.stringify(body) }), api === 'chat');
      cache?.set(key, got as unknown as JsonValue);
      return { ...got, sampleIndex: i, cached: false };
    };
    return Promise.all(Array.from({ length: p.n }, (_, i) => one(i)));
  };

  return {
    endpoint,
    model: opts.model,
    async complete(prompt, params) {
      if (typeof prompt !== 'string') throw new Error(`openai client: prompt must be a string, received ${typeof prompt}`);
      return sampleAll('completions', { prompt }, params);
    },
    async chat(messages, params) {
      if (!Array.isArray(messages) || messages.length === 0) throw new Error('openai client: messages must be a non-empty array of {role, content}');
      return sampleAll('chat', { messages: messages.map((m) => ({ role: m.role, content: m.content })) }, params);
    },
    async listModels() {
      const url = `${endpoint}/models`;
      const json = (await request(url, { method: 'GET' })) as { data?: unknown };
      if (!Array.isArray(json.data)) throw new EndpointResponseError(url, 'no "data" array');
      return json.data.map((m: unknown) => String((m as { id?: unknown }).id));
    },
    stats: () => ({ ...stats }),
  };
}
