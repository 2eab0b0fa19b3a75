// An OpenAI-compatible HTTP server (node:http) for any model of this library:
//   POST /v1/completions, POST /v1/chat/completions (n, temperature, top_p, max_tokens, stop, seed,
//   include_stop_str_in_output), GET /v1/models, GET /health.
// Generation is synchronous (tfjs on one core), so requests are generated one at a time in arrival
// order; the event loop is released between them, so /health and new connections stay answered.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateText, type GenerateResult, type Generation } from '../sampling';
import { ApiError } from './api-error';
import { parseChatRequest, parseCompletionRequest, type RequestLimits, type ServeSampling } from './requests';
import type { ServedModel } from './served-model';

/** What a hook may answer instead of the server (fault injection in tests, gateways). */
export type HookAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | { hang: true };

export interface RequestInfo {
  method: string;
  path: string;
  /** Parsed JSON body of a POST (undefined for GET). */
  body: unknown;
  /** 1, 2, ... in arrival order. */
  seq: number;
}

export interface ModelServerOptions extends Partial<RequestLimits> {
  /** Largest request body in bytes; bigger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Requests must carry "Authorization: Bearer <apiKey>" (except /health). Default: no check. */
  apiKey?: string;
  /** Seed for sampled requests that bring none: request k uses seed + k. Default 0. */
  seed?: number;
  /** Rows per forward pass (generate's microBatchSize). Default 64. */
  microBatchSize?: number;
  /**
   * Called for every request after its body is read. Returning an answer sends it instead of the server's
   * (or never answers, for { hang: true }); returning undefined lets the server handle it. May be async.
   */
  beforeRequest?: (info: RequestInfo) => HookAnswer | undefined | Promise<HookAnswer | undefined>;
  /** Log lines (one per request and errors). Default: none. */
  log?: (line: string) => void;
}

export interface ServerStats {
  /** Requests received (any route). */
  requests: number;
  /** Requests received and not yet answered. */
  inFlight: number;
  /** The largest inFlight seen. */
  maxInFlight: number;
  /** Completions generated. */
  completions: number;
  /** Answers with status >= 400. */
  errors: number;
}

export interface ModelServer {
  readonly server: Server;
  /** Starts listening; port 0 picks a free one. Resolves to the base URL of the API (…/v1). */
  listen(port?: number, host?: string): Promise<{ url: string; port: number; host: string }>;
  /** Stops listening and drops every open connection (hung ones included). */
  close(): Promise<void>;
  stats(): ServerStats;
}

const DEFAULT_LIMITS: RequestLimits = { maxN: 64, maxTokensLimit: 4096, defaultMaxTokens: 256, maxPrompts: 64 };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads the body up to `max` bytes; beyond it, keeps draining (so the 413 reaches the client) unless it is absurd. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= max) chunks.push(c);
      else if (size > 64 * max) {
        reject(new ApiError(413, `request body is over ${64 * max} bytes; this server accepts at most ${max}`));
        req.destroy(); // not worth draining
      }
    });
    req.on('end', () => {
      if (size > max) reject(new ApiError(413, `request body is ${size} bytes; this server accepts at most ${max}`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function finishReason(g: Generation): 'stop' | 'length' {
  return g.finishReason === 'length' ? 'length' : 'stop';
}

export function createModelServer(served: ServedModel, opts: ModelServerOptions = {}): ModelServer {
  const limits: RequestLimits = {
    maxN: opts.maxN ?? DEFAULT_LIMITS.maxN,
    maxTokensLimit: opts.maxTokensLimit ?? DEFAULT_LIMITS.maxTokensLimit,
    defaultMaxTokens: opts.defaultMaxTokens ?? DEFAULT_LIMITS.defaultMaxTokens,
    maxPrompts: opts.maxPrompts ?? DEFAULT_LIMITS.maxPrompts,
  };
  const maxBodyBytes = opts.maxBodyBytes ?? 1 << 20;
  const baseSeed = opts.seed ?? 0;
  const created = Math.floor(Date.now() / 1000);
  const stats: ServerStats = { requests: 0, inFlight: 0, maxInFlight: 0, completions: 0, errors: 0 };
  let queue: Promise<unknown> = Promise.resolve();
  let sampledWithoutSeed = 0;

  /** Runs generation jobs one at a time (the next starts when the last one's promise settles), yielding to the event loop before each. */
  const enqueue = <T>(job: () => T | Promise<T>): Promise<T> => {
    const run = queue.then(() => new Promise<T>((resolve, reject) => setImmediate(() => {
      try {
        resolve(job());
      } catch (err) {
        reject(err);
      }
    })));
    queue = run.catch(() => undefined);
    return run;
  };

  const checkModel = (model: string | null): void => {
    if (model !== null && model !== served.id) throw new ApiError(404, `the model "${model}" does not exist; this server serves "${served.id}"`, 'model');
  };

  /** n samples of each prompt; result[p][j]. */
  const sampleAll = async (prompts: string[], s: ServeSampling): Promise<Generation[][]> => {
    const seed = s.seed ?? (s.temperature > 0 ? baseSeed + ++sampledWithoutSeed : undefined);
    const flat = prompts.flatMap((p) => Array.from({ length: s.n }, () => p));
    let ids: number[][];
    try {
      ids = prompts.map((p) => served.tokenizer.encode(p));
    } catch (err) {
      throw new ApiError(400, `the prompt cannot be tokenized: ${(err as Error).message}`, 'prompt');
    }
    ids.forEach((t, i) => {
      if (t.length === 0) throw new ApiError(400, `prompt ${i} encodes to no tokens; send at least one character`, 'prompt');
    });
    let result: GenerateResult;
    try {
      result = await generateText(served.model, served.tokenizer, flat, {
        maxNewTokens: s.maxTokens,
        temperature: s.temperature,
        topP: s.topP,
        seed,
        // Sample j of every prompt draws from stream j: a request with n = 1 and seed k gives what sample 0 of seed k gives.
        streams: prompts.flatMap(() => Array.from({ length: s.n }, (_, j) => j)),
        stopStrings: s.stop,
        includeStopString: s.includeStopString,
        microBatchSize: opts.microBatchSize,
      });
    } catch (err) {
      const msg = (err as Error).message;
      // generate's own checks (context length, ids) are about the request; anything else is ours.
      if (msg.startsWith('generate:')) throw new ApiError(400, msg.replace(/^generate: /, ''), 'max_tokens');
      throw err;
    }
    stats.completions += result.sequences.length;
    return prompts.map((_, p) => result.sequences.slice(p * s.n, (p + 1) * s.n));
  };

  const usage = (gens: Generation[][]): { prompt_tokens: number; completion_tokens: number; total_tokens: number } => {
    const prompt = gens.reduce((a, g) => a + g[0].promptLength, 0);
    const completion = gens.flat().reduce((a, g) => a + g.tokens.length, 0);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  };

  const completions = async (body: unknown, seq: number): Promise<unknown> => {
    const r = parseCompletionRequest(body, limits);
    checkModel(r.model);
    const gens = await enqueue(() => sampleAll(r.prompts, r.sampling));
    return {
      id: `cmpl-${seq}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: served.id,
      choices: gens.flatMap((row, p) => row.map((g, j) => ({ index: p * r.sampling.n + j, text: g.text ?? '', logprobs: null, finish_reason: finishReason(g) }))),
      usage: usage(gens),
    };
  };

  const chat = async (body: unknown, seq: number): Promise<unknown> => {
    const r = parseChatRequest(body, limits);
    checkModel(r.model);
    const render = served.renderChat;
    if (render === null) throw new ApiError(400, `the model "${served.id}" has no chat template; use /v1/completions, or start the server with a chat template`, 'messages');
    let prompt: string;
    try {
      prompt = render(r.messages);
    } catch (err) {
      throw new ApiError(400, (err as Error).message, 'messages');
    }
    const gens = await enqueue(() => sampleAll([prompt], r.sampling));
    return {
      id: `chatcmpl-${seq}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: served.id,
      choices: gens[0].map((g, j) => ({ index: j, message: { role: 'assistant', content: g.text ?? '' }, logprobs: null, finish_reason: finishReason(g) })),
      usage: usage(gens),
    };
  };

  const route = async (req: IncomingMessage, res: ServerResponse, seq: number): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    let body: unknown;
    if (method === 'POST') {
      const text = await readBody(req, maxBodyBytes);
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch (err) {
        throw new ApiError(400, `the request body is not valid JSON (${(err as Error).message})`);
      }
    } else {
      req.resume();
    }
    const hooked = await opts.beforeRequest?.({ method, path, body, seq });
    if (hooked !== undefined) {
      if ('hang' in hooked) return new Promise<void>(() => undefined); // never answers; close() drops the connection
      stats.errors += hooked.status >= 400 ? 1 : 0;
      send(res, hooked.status, hooked.body, hooked.headers);
      return;
    }
    if (path === '/health') return send(res, 200, { status: 'ok', model: served.id });
    if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      throw new ApiError(401, 'missing or wrong API key; send "Authorization: Bearer <key>"');
    }
    const routes: Record<string, { method: string; handle: () => Promise<unknown> | unknown }> = {
      '/v1/models': { method: 'GET', handle: () => ({ object: 'list', data: [{ id: served.id, object: 'model', created, owned_by: 'rlvr' }] }) },
      '/v1/completions': { method: 'POST', handle: () => completions(body, seq) },
      '/v1/chat/completions': { method: 'POST', handle: () => chat(body, seq) },
    };
    const r = routes[path];
    if (r === undefined) throw new ApiError(404, `no route ${method} ${path}; this server has POST /v1/completions, POST /v1/chat/completions, GET /v1/models, GET /health`);
    if (method !== r.method) throw new ApiError(405, `${path} takes ${r.method}, received ${method}`);
    send(res, 200, await r.handle());
  };

  const server = createServer((req, res) => {
    const seq = ++stats.requests;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      stats.inFlight--;
    };
    res.on('close', finish);
    const t0 = Date.now();
    route(req, res, seq)
      .catch((err: unknown) => {
        const e = err instanceof ApiError ? err : new ApiError(500, `internal error: ${(err as Error).message}`);
        stats.errors++;
        if (e.status >= 500) opts.log?.(`error in ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}`);
        send(res, e.status, e.toJson(), e.status === 413 ? { connection: 'close' } : {});
      })
      .finally(() => opts.log?.(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - t0} ms`));
  });

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve({ url: `http://${shown}:${a.port}/v1`, port: a.port, host: a.address });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      });
    },
    stats: () => ({ ...stats }),
  };
}
