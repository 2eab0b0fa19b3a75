// The evaluation protocol end to end on real benchmark files (first problems only) with real models:
// a tiny organism GPT in-process and served over HTTP, and the hf-tiny fixtures. The models are untrained,
// so the checks are that every number is what the samples imply and that samples equal independent runs
// of generateText (greedy, and sampled with the client's seed + j).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBenchmark, type BenchmarkName } from '../../lib/data';
import { createEndpointSampler, createModelSampler, runEvaluation, samplesPath, type ProblemResult } from '../../lib/eval';
import { createHfModel, loadCheckpoint, parseHfConfig, saveCheckpoint } from '../../lib/models';
import { renderPrompt } from '../../lib/prompts';
import { createOpenAiClient, generateText } from '../../lib/sampling';
import { createModelServer, loadServedModel, saveCharTokenizer } from '../../lib/serve';
import { initBackend } from '../../lib/tensor';
import { CharTokenizer, loadTokenizer } from '../../lib/tokenizers';
import { verify } from '../../lib/verifier';
import { makeTinyOrganism, type TinyOrganism } from '../serve/tiny-model';

const FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny');
const BENCH: BenchmarkName[] = ['math500', 'amc'];
const LIMIT = 2;
const MAX_TOKENS = 8;

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'rlvr-e2e-'));
  dirs.push(d);
  return d;
};
let org: TinyOrganism;
/** Every character of the prompts these tests render. */
let needed: string[];

before(async () => {
  await initBackend({ backend: 'wasm' });
  const prompts = BENCH.flatMap((b) => loadBenchmark(b).slice(0, LIMIT).map((p) => renderPrompt('qwen-math', p.prompt)));
  needed = [...new Set([...prompts.join('')])];
  org = await makeTinyOrganism(needed.join(''), 3, 512);
});
after(() => {
  org.cleanup();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function readResults(out: string, b: BenchmarkName): ProblemResult[] {
  return readFileSync(samplesPath(out, b), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ProblemResult);
}

/** The summary's counts must be what the saved samples imply (re-graded here independently). */
function checkConsistent(out: string, summaries: Awaited<ReturnType<typeof runEvaluation>>['summaries']): void {
  for (const s of summaries) {
    const rs = readResults(out, s.benchmark as BenchmarkName);
    assert.equal(rs.length, LIMIT);
    const all = rs.flatMap((r) => r.samples.map((x) => ({ text: x.text, gold: r.gold })));
    assert.equal(all.length, LIMIT * s.samplesPerProblem);
    for (const mode of ['strict', 'authors'] as const) {
      assert.equal(s[mode].accuracy.k, all.filter((x) => verify(x.text, x.gold, { mode }).correct).length);
    }
    assert.equal(s.codeFrequency.k, all.filter((x) => x.text.toLowerCase().includes('python')).length);
  }
}

test('organism GPT in-process and served over HTTP: the protocol end to end, same greedy samples, cache on rerun', async () => {
  const problems = loadBenchmark('math500').slice(0, LIMIT);
  const outA = tmp();
  const inProc = await runEvaluation({
    sampler: createModelSampler(org.model, org.tokenizer), benchmarks: BENCH, template: 'qwen-math', outDir: outA, limit: LIMIT, overrides: { maxTokens: MAX_TOKENS },
  });
  assert.deepEqual(inProc.summaries.map((s) => [s.benchmark, s.problems, s.samplesPerProblem, s.temperature]), [['math500', 2, 1, 0], ['amc', 2, 8, 0.6]]);
  checkConsistent(outA, inProc.summaries);
  const greedy = (await generateText(org.model, org.tokenizer, problems.map((p) => renderPrompt('qwen-math', p.prompt)), { maxNewTokens: MAX_TOKENS, temperature: 0 })).sequences;
  assert.deepEqual(readResults(outA, 'math500').map((r) => r.samples[0].text), greedy.map((g) => g.text));

  const served = loadServedModel(org.folder, { id: 'org' });
  const server = createModelServer(served);
  const { url } = await server.listen(0);
  try {
    const cache = tmp();
    const outB = tmp();
    const run = () => runEvaluation({
      sampler: createEndpointSampler(createOpenAiClient({ endpoint: url, model: 'org', cacheDir: cache, concurrency: 4 })),
      benchmarks: BENCH, template: 'qwen-math', outDir: outB, limit: LIMIT, overrides: { maxTokens: MAX_TOKENS },
    });
    const viaHttp = await run();
    assert.equal(server.stats().requests, LIMIT * 1 + LIMIT * 8, 'one request per sample');
    checkConsistent(outB, viaHttp.summaries);
    assert.deepEqual(readResults(outB, 'math500').map((r) => r.samples[0].text), greedy.map((g) => g.text));
    // AMC sample j of a served model is seed 42 + j, stream 0.
    const amc0 = loadBenchmark('amc')[0];
    const j = 5;
    const want = await generateText(org.model, org.tokenizer, [renderPrompt('qwen-math', amc0.prompt)], { maxNewTokens: MAX_TOKENS, temperature: 0.6, seed: 42 + j, streams: [0] });
    assert.equal(readResults(outB, 'amc')[0].samples[j].text, want.sequences[0].text);
    // Lose the run folder's samples but keep the cache: the rerun makes no request and gives the same numbers.
    rmSync(join(outB, 'samples'), { recursive: true });
    const again = await run();
    assert.equal(server.stats().requests, LIMIT * 9);
    assert.deepEqual(again.summaries, viaHttp.summaries);
  } finally {
    await server.close();
  }
});

test('hf-tiny qwen2 (vocab 384) cannot use tokenizer-bpe (1000 ids): refused with the reason; served with a 381-character tokenizer instead', async () => {
  const qwen = join(FIXTURES, 'qwen2-tiny');
  const bpe = join(FIXTURES, 'tokenizer-bpe');
  assert.equal(loadTokenizer(bpe).vocabSize, 1000);
  assert.equal(JSON.parse(readFileSync(join(qwen, 'config.json'), 'utf8')).vocab_size, 384);
  assert.throws(() => loadServedModel(qwen, { tokenizer: bpe }), /tokenizer-bpe.* has 1000 ids but the model only 384/);

  // What fits: a character tokenizer over exactly 384 ids (3 specials + the prompts' characters + filler).
  const filler: string[] = [];
  for (let cp = 0x100; needed.length + filler.length < 381; cp++) if (!needed.includes(String.fromCodePoint(cp))) filler.push(String.fromCodePoint(cp));
  const tokDir = tmp();
  const tok = new CharTokenizer([...needed, ...filler].join(''));
  assert.equal(tok.vocabSize, 384);
  saveCharTokenizer(tok, tokDir);
  const served = loadServedModel(qwen, { id: 'qwen2-tiny', tokenizer: tokDir });
  const server = createModelServer(served);
  const { url } = await server.listen(0);
  try {
    const out = tmp();
    const r = await runEvaluation({
      sampler: createEndpointSampler(createOpenAiClient({ endpoint: url, model: 'qwen2-tiny' })),
      benchmarks: BENCH, template: 'qwen-math', outDir: out, limit: LIMIT, overrides: { maxTokens: 4 },
    });
    assert.deepEqual(r.summaries.map((s) => s.strict.accuracy.n), [2, 16]);
    checkConsistent(out, r.summaries);
    const p0 = renderPrompt('qwen-math', loadBenchmark('math500')[0].prompt);
    const want = (await generateText(loadCheckpoint(qwen), tok, [p0], { maxNewTokens: 4, temperature: 0 })).sequences[0].text;
    assert.equal(readResults(out, 'math500')[0].samples[0].text, want);
  } finally {
    await server.close();
  }
});

test('tokenizer-bpe with a Qwen2 model of its vocabulary (1000): in-process evaluation', async () => {
  const cfg = JSON.parse(readFileSync(join(FIXTURES, 'qwen2-tiny', 'config.json'), 'utf8'));
  const folder = tmp();
  await saveCheckpoint(createHfModel(parseHfConfig({ ...cfg, vocab_size: 1000 }, 'qwen2-tiny config, vocab 1000'), 5), folder);
  copyFileSync(join(FIXTURES, 'tokenizer-bpe', 'tokenizer.json'), join(folder, 'tokenizer.json'));
  const served = loadServedModel(folder, { id: 'qwen2-bpe' });
  assert.equal(served.tokenizer.kind, 'huggingface');
  const out = tmp();
  const r = await runEvaluation({
    sampler: createModelSampler(served.model, served.tokenizer), benchmarks: BENCH, template: 'qwen-math', outDir: out, limit: LIMIT, overrides: { maxTokens: 4 },
  });
  checkConsistent(out, r.summaries);
  const p = loadBenchmark('math500').slice(0, LIMIT).map((x) => renderPrompt('qwen-math', x.prompt));
  const want = (await generateText(served.model, served.tokenizer, p, { maxNewTokens: 4, temperature: 0 })).sequences.map((g) => g.text);
  assert.deepEqual(readResults(out, 'math500').map((x) => x.samples[0].text), want);
});
