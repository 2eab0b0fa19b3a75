// Throughput of the OpenAI-compatible path on loopback: lib/sampling's client against lib/serve's server.
// 1. HTTP + client overhead alone: the server answers every completion from a hook (no model), so this is
//    the ceiling of requests/s the client, limiter and node:http reach on this machine.
// 2. With a tiny organism GPT generating 16 tokens per request (one request per sample, as rlvr eval does).
// 3. The same 2. with the on-disk cache warm (no HTTP at all).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpt } from '../lib/models';
import { createOpenAiClient } from '../lib/sampling';
import { createModelServer, servedModel } from '../lib/serve';
import { initBackend } from '../lib/tensor';
import { CharTokenizer } from '../lib/tokenizers';

async function timeRequests(url: string, n: number, concurrency: number, cacheDir?: string): Promise<{ perSec: number; requests: number }> {
  const client = createOpenAiClient({ endpoint: url, model: 'bench', concurrency, cacheDir });
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => client.complete(`problem ${i % 97}`, { temperature: 1, seed: i, maxTokens: 16 })));
  const s = (performance.now() - t0) / 1000;
  return { perSec: n / s, requests: client.stats().requests };
}

export async function run(log: (line: string) => void = console.log): Promise<void> {
  await initBackend({ backend: 'wasm' });
  const tok = new CharTokenizer('abcdefghijklmnopqrstuvwxyz0123456789 ');
  const model = createGpt({ vocabSize: tok.vocabSize, dModel: 64, nLayers: 2, nHeads: 4, contextLength: 64, seed: 1 });
  const served = servedModel(model, tok, { id: 'bench' });

  const canned = createModelServer(served, {
    beforeRequest: (info) => (info.path === '/v1/completions' ? { status: 200, body: { choices: [{ text: 'x', finish_reason: 'stop' }] } } : undefined),
  });
  const a = await canned.listen(0);
  for (const c of [1, 8, 32]) {
    const r = await timeRequests(a.url, 2000, c);
    log(`HTTP only (canned answer), concurrency ${c}: ${r.perSec.toFixed(0)} requests/s`);
  }
  await canned.close();

  const real = createModelServer(served);
  const b = await real.listen(0);
  const cache = mkdtempSync(join(tmpdir(), 'rlvr-bench-cache-'));
  try {
    const r = await timeRequests(b.url, 200, 8, cache);
    log(`organism d64 L2, 16 new tokens, concurrency 8: ${r.perSec.toFixed(1)} requests/s (${r.requests} HTTP requests)`);
    const w = await timeRequests(b.url, 200, 8, cache);
    log(`same, cache warm: ${w.perSec.toFixed(0)} requests/s (${w.requests} HTTP requests)`);
  } finally {
    await real.close();
    rmSync(cache, { recursive: true, force: true });
  }
}

// Run directly: node --import tsx bench/serve-model.ts
if (/serve-model\.ts$/.test(process.argv[1] ?? '')) void run();
