// Load test of `rlvr serve-rewards` on loopback: the server runs in a child process (as in use),
// a small node:http load generator with bounded request count and time drives POST /get_reward with
// OpenRLHF's request shape built from the real responses of shared/data/verifier/dev.jsonl.
// Reports completions/s and p50/p99 latency for batches of 1, 64, 256 and 1,024, for 0 and 2 scoring
// threads, plus /health latency while a 1,024 batch is being scored. ~45 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { locateDataFile, loadVerifierCorpus, VERIFIER_CORPUS_PATH } from '../lib/data';

/** Targets of issue 5: math on the 2-core machine. */
export const TARGETS = { completionsPerSec: 5000, p99MsBatch256: 100 };

interface Case { batch: number; concurrency: number; maxRequests: number; maxSeconds: number }
const CASES: Case[] = [
  { batch: 1, concurrency: 8, maxRequests: 3000, maxSeconds: 3 },
  { batch: 64, concurrency: 4, maxRequests: 400, maxSeconds: 4 },
  { batch: 256, concurrency: 1, maxRequests: 100, maxSeconds: 4 },
  { batch: 1024, concurrency: 2, maxRequests: 40, maxSeconds: 6 },
];

export interface LoadResult {
  workers: number;
  batch: number;
  concurrency: number;
  requests: number;
  completionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

interface Sample { prompt: string; query: string; label: string }

const TEMPLATE = (q: string) => `<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\n${q}<|im_end|>\n<|im_start|>assistant\n`;

function loadSamples(file: string): Sample[] {
  return loadVerifierCorpus({ file })
    .filter((it) => it.response !== undefined && (it.kind === 'real-response' || it.kind === 'synthetic-response'))
    .map((it) => {
      const prompt = TEMPLATE((it as { question?: string }).question ?? '');
      return { prompt, query: prompt + it.response + '<|im_end|>', label: it.gold };
    });
}

function body(samples: Sample[], batch: number, offset: number): string {
  const pick = Array.from({ length: batch }, (_, i) => samples[(offset + i) % samples.length]);
  return JSON.stringify({ query: pick.map((s) => s.query), prompts: pick.map((s) => s.prompt), labels: pick.map((s) => s.label) });
}

function post(agent: Agent, port: number, path: string, data: string | null): Promise<{ status: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method: data === null ? 'GET' : 'POST', agent, headers: data === null ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(data ?? undefined);
  });
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function runCase(port: number, samples: Sample[], workers: number, c: Case): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: c.concurrency });
  const bodies = Array.from({ length: 8 }, (_, i) => body(samples, c.batch, i * 37));
  for (let i = 0; i < Math.min(4, c.concurrency * 2); i++) await post(agent, port, '/get_reward', bodies[i % bodies.length]); // warm-up
  const lat: number[] = [];
  let sent = 0;
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + c.maxSeconds * 1000;
  const loop = async () => {
    while (sent < c.maxRequests && performance.now() < deadline) {
      const b = bodies[sent++ % bodies.length];
      const r = await post(agent, port, '/get_reward', b);
      if (r.status !== 200) errors++;
      lat.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, loop));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  return { workers, batch: c.batch, concurrency: c.concurrency, requests: lat.length, completionsPerSec: (lat.length * c.batch) / secs, p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), errors };
}

/** GET /health latency while one 1,024-completion request is being scored. */
async function healthUnderLoad(port: number, samples: Sample[]): Promise<{ healthMs: number; batchMs: number }> {
  const agent = new Agent({ keepAlive: false });
  const big = post(agent, port, '/get_reward', body(samples, 1024, 5));
  await new Promise((r) => setTimeout(r, 15)); // let the batch arrive and start scoring
  const h = await post(agent, port, '/health', null);
  const b = await big;
  return { healthMs: h.ms, batchMs: b.ms };
}

function startServer(workers: number): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'serve-rewards', '--reward', 'math', '--port', '0', '--workers', String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`serve-rewards exited with code ${code} before listening: ${out}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function run(log: (line: string) => void = console.log): Promise<LoadResult[]> {
  const found = locateDataFile(VERIFIER_CORPUS_PATH);
  if (!found) {
    log(`reward-service: ${VERIFIER_CORPUS_PATH} not found in the data directories (see \`rlvr data where\`); skipped`);
    return [];
  }
  const samples = loadSamples(found.path);
  const chars = samples.reduce((s, x) => s + x.query.length - x.prompt.length, 0) / samples.length;
  log(`reward-service: reward math (strict), ${samples.length} real/synthetic responses (mean ${chars.toFixed(0)} chars), loopback, server in a child process; ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start`);
  const results: LoadResult[] = [];
  for (const workers of [0, 2]) {
    const { child, port } = await startServer(workers);
    try {
      for (const c of CASES) {
        const r = await runCase(port, samples, workers, c);
        results.push(r);
        log(`  threads ${workers}  batch ${String(c.batch).padStart(4)}  conc ${c.concurrency}  ${String(r.requests).padStart(5)} req  ${r.completionsPerSec.toFixed(0).padStart(6)} completions/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms${r.errors ? `  ${r.errors} errors` : ''}`);
      }
      const h = await healthUnderLoad(port, samples);
      log(`  threads ${workers}  GET /health sent 15 ms into a 1,024 batch: answered in ${h.healthMs.toFixed(1)} ms (the batch took ${h.batchMs.toFixed(1)} ms)`);
    } finally {
      await stopServer(child);
    }
  }
  for (const line of judgeTargets(results).lines) log(`  ${line}`);
  return results;
}

/** Batches from which the throughput target applies (one completion per request costs HTTP and JSON, not scoring). */
const THROUGHPUT_MIN_BATCH = 64;

/** Every thread setting against both targets (a setting's worst case, not the best setting's best), then the verdict. */
export function judgeTargets(results: readonly LoadResult[]): { lines: string[]; allMet: boolean } {
  const lines: string[] = [];
  const missed: string[] = [];
  for (const workers of [...new Set(results.map((r) => r.workers))].sort((a, b) => a - b)) {
    const mine = results.filter((r) => r.workers === workers);
    const batched = mine.filter((r) => r.batch >= THROUGHPUT_MIN_BATCH);
    const worst = batched.reduce<LoadResult | undefined>((w, r) => (w === undefined || r.completionsPerSec < w.completionsPerSec ? r : w), undefined);
    const at256 = mine.find((r) => r.batch === 256);
    const errors = mine.reduce((s, r) => s + r.errors, 0);
    const tpMet = worst !== undefined && worst.completionsPerSec >= TARGETS.completionsPerSec;
    const p99Met = at256 !== undefined && at256.p99Ms < TARGETS.p99MsBatch256;
    const tp = worst ? `worst ${worst.completionsPerSec.toFixed(0)} (batch ${worst.batch})` : 'not measured';
    const p99 = at256 ? `${at256.p99Ms.toFixed(1)} ms` : 'not measured';
    lines.push(`threads ${workers}: >= ${TARGETS.completionsPerSec} completions/s from batch ${THROUGHPUT_MIN_BATCH}: ${tp} ${tpMet ? 'MET' : 'MISSED'}; p99 < ${TARGETS.p99MsBatch256} ms at batch 256: ${p99} ${p99Met ? 'MET' : 'MISSED'}${errors ? `; ${errors} failed requests MISSED` : ''}`);
    if (!tpMet) missed.push(`threads ${workers} (throughput ${tp})`);
    if (!p99Met) missed.push(`threads ${workers} (p99 ${p99} at batch 256)`);
    if (errors) missed.push(`threads ${workers} (${errors} failed requests)`);
  }
  const allMet = lines.length > 0 && missed.length === 0;
  lines.push(allMet ? 'targets: MET in every thread setting' : `targets: MISSED in ${missed.length ? missed.join(', ') : 'every setting (nothing measured)'}`);
  return { lines, allMet };
}
