// The HTTP service (node:http). Routes:
//   POST /get_reward (also POST /)  OpenRLHF remote reward protocol, see protocol.ts
//   POST /score                     the same answer for {completions, prompts?, labels?}
//   GET  /health                    {"status":"ok", ...}; 503 {"status":"closing"} while shutting down
//   GET  /                          what is served, as JSON
// Bad requests get 4xx with {"error": message}; a failure while scoring gets 500; neither stops
// the server. Completions are only ever read as text.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RewardCache, GroupLabelError } from './score';
import { createWorkerPool, inlineScorer, type Scorer } from './pool';
import { formatResult, parseJsonObject, parseOpenRlhfRequest, parseScoreRequest, RequestError, type ParseDefaults } from './protocol';
import { EXTRA_LOG_NAMES, type RewardServiceOptions, type ScoreJob } from './types';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export interface RewardServiceStats {
  requests: number;
  completions: number;
  clientErrors: number;
  serverErrors: number;
  inFlight: number;
}

export interface RewardService {
  readonly server: Server;
  readonly scorer: Scorer;
  /** Listens (default 127.0.0.1, port 0 = any free port); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Graceful: stops accepting, lets in-flight requests finish (at most closeTimeoutMs), then stops the scorer. */
  close(): Promise<void>;
  stats(): RewardServiceStats;
}

export interface RewardServiceHooks {
  /** One line per server error (500) and per shutdown step; default: silent. */
  log?: (line: string) => void;
  /** Score with this instead of the scorer `opts.workers` would build (custom scoring, tests). Closed by close(). */
  scorer?: Scorer;
}

/** Builds the service; throws for an invalid default reward name or option. Does not listen yet. */
export async function createRewardService(opts: RewardServiceOptions, hooks: RewardServiceHooks = {}): Promise<RewardService> {
  const log = hooks.log ?? (() => {});
  const defaults: ParseDefaults = {
    reward: opts.reward,
    mode: opts.mode ?? 'strict',
    seed: opts.seed ?? 0,
    stripTokens: opts.stripTokens ?? [],
    prefixMismatch: opts.prefixMismatch ?? 'error',
  };
  if (!Number.isSafeInteger(defaults.seed)) throw new Error(`reward service: seed must be an integer, received ${defaults.seed}`);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBody) && maxBody > 0)) throw new Error(`reward service: maxBodyBytes must be a positive integer, received ${maxBody}`);
  const closeTimeout = opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const names = new RewardCache(opts.deadlineMs);
  names.get(defaults.reward, defaults.mode); // fail at start, not at the first request
  const workers = opts.workers ?? 0;
  const scorer = hooks.scorer ?? (workers > 0 ? await createWorkerPool(workers, opts.deadlineMs) : inlineScorer(opts.deadlineMs));

  const stats: RewardServiceStats = { requests: 0, completions: 0, clientErrors: 0, serverErrors: 0, inFlight: 0 };
  let closing = false;
  let closed: Promise<void> | undefined;

  const send = (res: ServerResponse, status: number, body: string) => {
    if (closing) res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const error = (res: ServerResponse, status: number, message: string) => send(res, status, JSON.stringify({ error: message }));

  const info = () => ({
    service: 'rlvr serve-rewards',
    reward: defaults.reward,
    mode: defaults.mode,
    seed: defaults.seed,
    threads: scorer.threads,
    maxBodyBytes: maxBody,
    endpoints: {
      'POST /get_reward': 'OpenRLHF: {query, prompts, labels} -> {rewards, scores, extra_logs}',
      'POST /score': '{completions, prompts?, labels?} -> the same',
      'GET /health': 'liveness',
    },
    requestExtensions: ['reward', 'mode', 'seed', 'groups'],
    extraLogs: EXTRA_LOG_NAMES,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const scoring = path === '/get_reward' || path === '/score' || path === '/';
    if (req.method === 'GET' && path === '/health') {
      send(res, closing ? 503 : 200, JSON.stringify({ status: closing ? 'closing' : 'ok', reward: defaults.reward, mode: defaults.mode, threads: scorer.threads, ...stats, inFlight: stats.inFlight - 1 /* not this request */ }));
      return;
    }
    if (req.method === 'GET' && path === '/') { send(res, 200, JSON.stringify(info())); return; }
    if (!scoring && path !== '/health') { req.resume(); error(res, 404, `no route ${path}; POST /get_reward, POST /score, GET /health`); stats.clientErrors++; return; }
    if (req.method !== 'POST') { req.resume(); res.setHeader('Allow', path === '/health' ? 'GET' : 'POST'); error(res, 405, `${req.method} ${path} is not allowed`); stats.clientErrors++; return; }

    stats.requests++;
    let job: ScoreJob;
    try {
      const text = await readBody(req, maxBody);
      const body = parseJsonObject(text);
      job = path === '/score' ? parseScoreRequest(body, defaults) : parseOpenRlhfRequest(body, defaults);
      try {
        names.get(job.reward, job.mode);
      } catch (e) {
        throw new RequestError(400, `reward: ${(e as Error).message}`);
      }
    } catch (e) {
      stats.clientErrors++;
      if (e instanceof RequestError) { error(res, e.status, e.message); return; }
      throw e;
    }
    let out: string;
    try {
      out = formatResult(await scorer.score(job));
    } catch (e) {
      if (e instanceof GroupLabelError) { stats.clientErrors++; error(res, 400, `groups: ${e.message}`); return; }
      throw e;
    }
    stats.completions += job.items.length;
    send(res, 200, out);
  };

  const server = createServer((req, res) => {
    stats.inFlight++;
    res.on('close', () => {
      stats.inFlight--;
      if (closing && stats.inFlight === 0) server.closeIdleConnections();
    });
    handle(req, res).catch((e: unknown) => {
      stats.serverErrors++;
      const message = e instanceof Error ? e.message : String(e);
      log(`reward service: 500 on ${req.method} ${req.url}: ${message}`);
      if (!res.headersSent) error(res, 500, `internal error while scoring: ${message}`);
      else res.destroy();
    });
  });
  // Requests are small and answers fast; a stalled client must not hold a shutdown for long.
  server.requestTimeout = 5 * 60_000;

  return {
    server,
    scorer,
    stats: () => ({ ...stats }),
    listen: (port = 0, host = '127.0.0.1') => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        log(`reward service: closing (${stats.inFlight} request(s) in flight)`);
        const timer = setTimeout(() => {
          log(`reward service: ${closeTimeout} ms passed; cutting ${stats.inFlight} request(s)`);
          server.closeAllConnections();
        }, closeTimeout);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          scorer.close().then(() => resolve(), () => resolve());
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

/** Reads the body as UTF-8; past `limit` bytes it drains the rest and answers 413. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
    });
    req.on('end', () => {
      if (over) reject(new RequestError(413, `body is ${Number.isFinite(declared) ? declared : size} bytes; the limit is ${limit} (server option --max-body-mb)`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => reject(new RequestError(400, `could not read the body: ${e.message}`)));
  });
}
