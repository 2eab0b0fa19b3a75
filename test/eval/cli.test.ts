// `rlvr eval` through the CLI dispatcher: against a served organism (--endpoint) and in-process (--checkpoint).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { loadBenchmark } from '../../lib/data';
import { renderPrompt } from '../../lib/prompts';
import { createModelServer, loadServedModel } from '../../lib/serve';
import { makeTinyOrganism, type TinyOrganism } from '../serve/tiny-model';

let org: TinyOrganism;
const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'rlvr-evalcli-'));
  dirs.push(d);
  return d;
};
before(async () => {
  const chars = new Set([...['math500', 'aime2024'].flatMap((b) => loadBenchmark(b as 'math500').slice(0, 1).map((p) => renderPrompt('qwen-math', p.prompt))).join('')]);
  org = await makeTinyOrganism([...chars].join(''), 3, 1024);
});
after(() => {
  org.cleanup();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function rlvr(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('rlvr eval --endpoint: prints the table, writes the run folder, resumes on a second call', async () => {
  const server = createModelServer(loadServedModel(org.folder, { id: 'org' }));
  const { url } = await server.listen(0);
  try {
    const out = tmp();
    const args = ['eval', '--endpoint', url, '--model', 'org', '--benchmarks', 'math500,aime2024', '--limit', '1', '--max-tokens', '4', '--out', out];
    const first = await rlvr(args);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^benchmark\s+metric\s+problems\s+strict\s+authors\s+pass@1 strict\s+pass@8 strict\s+code/);
    assert.match(first.out, /MATH-500\s+pass@1\s+1\s/);
    assert.match(first.out, /AIME 2024\s+avg@8\s+1\s/);
    assert.match(first.err, /2 problems sampled, 0 resumed; 9 requests, 0 retries, 0 cache hits/);
    for (const f of ['config.json', 'summary.json', 'samples/math500.jsonl', 'samples/aime2024.jsonl']) assert.ok(existsSync(join(out, f)), f);
    assert.equal(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).template, 'qwen-math');
    const before = server.stats().requests;
    const second = await rlvr(args);
    assert.equal(second.code, 0);
    assert.match(second.err, /0 problems sampled, 2 resumed; 0 requests/);
    assert.equal(server.stats().requests, before);
    assert.equal(second.out, first.out);
  } finally {
    await server.close();
  }
});

test('rlvr eval --checkpoint runs in-process', async () => {
  const out = tmp();
  const r = await rlvr(['eval', '--checkpoint', org.folder, '--benchmarks', 'math500', '--limit', '1', '--max-tokens', '3', '--out', out, '--backend', 'wasm']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /MATH-500\s+pass@1\s+1\s/);
  assert.match(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).sampler, /^checkpoint .* \(gpt\)/);
});

test('rlvr eval: usage errors name the option', async () => {
  const cases: [string[], RegExp][] = [
    [['eval'], /give either --endpoint URL \(with --model\) or --checkpoint FOLDER/],
    [['eval', '--endpoint', 'http://x/v1'], /--endpoint needs --model/],
    [['eval', '--checkpoint', 'x', '--benchmarks', 'math5000'], /benchmark "math5000" is not known; known: math500, aime2024, aime2025, amc/],
    [['eval', '--checkpoint', 'x', '--template', 'qwen'], /--template "qwen" is not known; known: qwen-math/],
    [['eval', '--checkpoint', 'x', '--template', 'r1', '--chat'], /not both/],
    [['eval', '--checkpoint', 'x', '--limit', '0'], /--limit must be a positive integer, received "0"/],
  ];
  for (const [args, message] of cases) {
    const r = await rlvr(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
  }
});
