// The HTTP service (node:http). Routes:
//   POST /get_reward (also POST /)  OpenRLHF remote reward protocol, see protocol.ts
//   POST /score                     the same answer for {completions, prompts?, labels?}
//   GET  /health                    {"status":"ok", ...}; 503 {"status":"closing"} while shutting down
//   GET  /                          what is served, as JSON
// Bad requests get 4xx with {"error": message}; a failure while scoring gets 500; neither stops
// the server. Completions are only ever read as text. Rewards that need a prompt's whole group go
// through the group barrier (barrier.ts); the others are scored as they come.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { rewardInputs } from '../rewards';
import { RewardCache, GroupLabelError } from './score';
import { createWorkerPool, inlineScorer, type Scorer } from './pool';
import { formatResult, parseJsonObject, parseOpenRlhfRequest, parseScoreRequest, RequestError, type ParseDefaults } from './protocol';
import { GroupBarrier, DEFAULT_GROUP_TIMEOUT_MS, DEFAULT_MAX_WAITING, DEFAULT_RETRY_MEMORY_MS, type BarrierStats } from './barrier';
import { JsonShapeGuard, DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_JSON_VALUES, type JsonLimits } from './json-guard';
import { checkLabels } from './inputs';
import { throttledLog } from './throttle';
import { EXTRA_LOG_NAMES, type RewardServiceOptions, type ScoreJob, type ScoreResult } from './types';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

export interface RewardServiceStats extends BarrierStats {
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
  /** One line per server error (500), per shutdown step, and (throttled per kind) per client error and
   * incomplete group; default: silent. */
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
  const groupSize = opts.groupSize;
  if (groupSize !== undefined && !(Number.isInteger(groupSize) && groupSize >= 1)) throw new Error(`reward service: groupSize must be a positive integer, received ${groupSize}`);
  const groupTimeout = opts.groupTimeoutMs ?? DEFAULT_GROUP_TIMEOUT_MS;
  if (!(groupTimeout > 0)) throw new Error(`reward service: groupTimeoutMs must be positive, received ${groupTimeout}`);
  const jsonLimits: JsonLimits = { maxDepth: opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH, maxValues: opts.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES };
  const names = new RewardCache(opts.deadlineMs);
  names.get(defaults.reward, defaults.mode); // fail at start, not at the first request
  // A reward that needs whole groups cannot be served at all without knowing their size: say so at start.
  if (rewardInputs(defaults.reward).wholeGroup && groupSize === undefined) {
    throw new Error(`reward "${defaults.reward}" votes within each prompt's group of completions, so the service must know the group size: pass --group-size N (the engine's samples per prompt: OpenRLHF --rollout.n_samples_per_prompt, verl actor_rollout_ref.rollout.n, TRL num_generations)`);
  }
  const workers = opts.workers ?? 0;
  const scorer = hooks.scorer ?? (workers > 0 ? await createWorkerPool(workers, opts.deadlineMs) : inlineScorer(opts.deadlineMs));
  const clientLog = throttledLog(log);
  const barrier = new GroupBarrier({
    groupSize, timeoutMs: groupTimeout, maxWaiting: DEFAULT_MAX_WAITING, retryMemoryMs: DEFAULT_RETRY_MEMORY_MS,
    score: (job) => scorer.score(job), log: clientLog,
  });

  const counts = { requests: 0, completions: 0, clientErrors: 0, serverErrors: 0, inFlight: 0 };
  const stats = (): RewardServiceStats => ({ ...counts, ...barrier.stats() });
  let closing = false;
  let closed: Promise<void> | undefined;
  // Every open connection and how many of its requests are unanswered: at shutdown the idle ones (a
  // keep-alive connection between requests, or one that never sent a request) are closed at once;
  // Node's closeIdleConnections() does not see the latter.
  const sockets = new Map<Socket, number>();

  const send = (res: ServerResponse, status: number, body: string) => {
    if (res.destroyed || res.headersSent) return; // the client hung up (e.g. while its group was waiting)
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
    groupSize: groupSize ?? null,
    groupTimeoutMs: groupTimeout,
    maxBodyBytes: maxBody,
    maxJsonDepth: jsonLimits.maxDepth,
    maxJsonValues: jsonLimits.maxValues,
    endpoints: {
      'POST /get_reward': 'OpenRLHF: {query, prompts, labels} -> {rewards, scores, extra_logs}',
      'POST /score': '{completions, prompts?, labels?} -> the same',
      'GET /health': 'liveness',
    },
    requestExtensions: ['reward', 'mode', 'seed', 'groups', 'group_size', 'wait_for_group', 'step'],
    extraLogs: EXTRA_LOG_NAMES,
  });

  const clientError = (req: IncomingMessage, res: ServerResponse, e: RequestError) => {
    counts.clientErrors++;
    // OpenRLHF >= 0.10 only logs a failed reward on its side and trains on; the server's log must say it too.
    clientLog(`${e.status} ${req.url}`, `reward service: ${e.status} on ${req.method} ${req.url}: ${e.message}`);
    error(res, e.status, e.message);
  };

  /** Scores a parsed job: through the group barrier when the reward needs whole groups. */
  const score = (job: ScoreJob, res: ServerResponse): Promise<ScoreResult> => {
    if (!rewardInputs(job.reward).wholeGroup) return scorer.score(job);
    const submission = barrier.submit(job);
    res.on('close', () => { if (!res.writableFinished) submission.detach(); });
    return submission.result;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const scoring = path === '/get_reward' || path === '/score' || path === '/';
    if (req.method === 'GET' && path === '/health') {
      const s = stats();
      send(res, closing ? 503 : 200, JSON.stringify({ status: closing ? 'closing' : 'ok', reward: defaults.reward, mode: defaults.mode, threads: scorer.threads, groupSize: groupSize ?? null, ...s, inFlight: s.inFlight - 1 /* not this request */ }));
      return;
    }
    if (req.method === 'GET' && path === '/') { send(res, 200, JSON.stringify(info())); return; }
    if (!scoring && path !== '/health') { req.resume(); error(res, 404, `no route ${path}; POST /get_reward, POST /score, GET /health`); counts.clientErrors++; return; }
    if (req.method !== 'POST') { req.resume(); res.setHeader('Allow', path === '/health' ? 'GET' : 'POST'); error(res, 405, `${req.method} ${path} is not allowed`); counts.clientErrors++; return; }

    counts.requests++;
    let out: string;
    let job: ScoreJob;
    try {
      const text = await readBody(req, maxBody, jsonLimits);
      const body = parseJsonObject(text);
      job = path === '/score' ? parseScoreRequest(body, defaults) : parseOpenRlhfRequest(body, defaults);
      try {
        names.get(job.reward, job.mode);
      } catch (e) {
        throw new RequestError(400, `reward: ${(e as Error).message}`);
      }
      checkLabels(job);
      out = formatResult(await score(job, res));
    } catch (e) {
      if (e instanceof RequestError) { clientError(req, res, e); return; }
      if (e instanceof GroupLabelError) { clientError(req, res, new RequestError(400, `groups: ${e.message}`)); return; }
      throw e;
    }
    counts.completions += job.items.length;
    send(res, 200, out);
  };

  const server = createServer((req, res) => {
    counts.inFlight++;
    const socket = req.socket;
    sockets.set(socket, (sockets.get(socket) ?? 0) + 1);
    res.on('close', () => {
      counts.inFlight--;
      const left = (sockets.get(socket) ?? 1) - 1;
      if (sockets.has(socket)) sockets.set(socket, left);
      if (closing && left === 0) socket.destroySoon();
    });
    handle(req, res).catch((e: unknown) => {
      counts.serverErrors++;
      const message = e instanceof Error ? e.message : String(e);
      log(`reward service: 500 on ${req.method} ${req.url}: ${message}`);
      if (!res.headersSent) error(res, 500, `internal error while scoring: ${message}`);
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.set(socket, 0);
    socket.on('close', () => sockets.delete(socket));
  });
  // Requests are small and answers fast; a stalled client must not hold a shutdown for long.
  server.requestTimeout = 5 * 60_000;

  return {
    server,
    scorer,
    stats,
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
        log(`reward service: closing (${counts.inFlight} request(s) in flight)`);
        // Groups still waiting can no longer fill (no new connections): their requests get 503 now.
        barrier.close();
        const timer = setTimeout(() => {
          log(`reward service: ${closeTimeout} ms passed; cutting ${counts.inFlight} request(s)`);
          server.closeAllConnections();
        }, closeTimeout);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          scorer.close().then(() => resolve(), () => resolve());
        });
        for (const [socket, active] of sockets) if (active === 0) socket.destroy();
      });
      return closed;
    },
  };
}

/** Reads the body as UTF-8. Past `limit` bytes (413) or past the JSON shape limits (400) it drains the rest
 * without storing or scanning it, then refuses. */
function readBody(req: IncomingMessage, limit: number, shape: JsonLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    const guard = new JsonShapeGuard(shape);
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    let malformed: string | undefined;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (over || malformed !== undefined) return;
      malformed = guard.push(c);
      if (malformed === undefined) chunks.push(c);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (over) reject(new RequestError(413, `body is ${Number.isFinite(declared) ? declared : size} bytes; the limit is ${limit} (server option --max-body-mb)`));
      else if (malformed !== undefined) reject(new RequestError(400, `${malformed}; refused before parsing`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => reject(new RequestError(400, `could not read the body: ${e.message}`)));
  });
}
