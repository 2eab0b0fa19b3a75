// Test helpers shared by the reward-service tests: a raw HTTP client (exact bytes and headers), a service
// on a free port that is always closed, and the engine-wire captures of shared/fixtures/engine-wire/.
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRewardService, type RewardService } from '../../lib/reward-service';

export interface Reply { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/** A raw node:http client, so the test sends exactly the bytes and headers given. */
export function send(port: number, method: string, path: string, body?: string, headers: OutgoingHttpHeaders = {}, agent: Agent | false = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: body === undefined ? headers : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function withService(opts: Parameters<typeof createRewardService>[0], hooks: Parameters<typeof createRewardService>[1], fn: (port: number, svc: RewardService) => Promise<void>): Promise<void> {
  const svc = await createRewardService(opts, hooks);
  const { port } = await svc.listen(0);
  try {
    await fn(port, svc);
  } finally {
    await svc.close();
  }
}

/** The parsed answer of a scoring endpoint. */
export interface Answer { rewards: number[]; scores: number[]; extra_logs: Record<string, number[]> }

export function answer(r: Reply): Answer {
  if (r.status !== 200) throw new Error(`expected 200, received ${r.status}: ${r.body}`);
  return JSON.parse(r.body) as Answer;
}

export const ENGINE_WIRE = join(process.cwd(), '..', 'shared', 'fixtures', 'engine-wire');

export interface CapturedRequest {
  path: string;
  headers: Record<string, string>;
  body: { query: string[]; prompts: string[]; labels: (string | null)[] };
}

/** One captured request per line, in the order the engine sent them. */
export function loadCapture(file: string): CapturedRequest[] {
  return readFileSync(join(ENGINE_WIRE, file), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    const r = JSON.parse(l) as CapturedRequest;
    if (!Array.isArray(r.body?.query)) throw new Error(`${file} line ${i + 1}: body.query is not an array`);
    return r;
  });
}

/** Sends a captured request as the engine did (its path, its Content-Type, its JSON body). */
export function replay(port: number, r: CapturedRequest): Promise<Reply> {
  return send(port, 'POST', r.path, JSON.stringify(r.body), r.headers);
}
