// The evaluation protocol with a scripted sampler whose answers are known, so every number is checked
// by hand: avg@8, pass@k, code frequency and accuracy with and without code, in both verifier modes;
// the run folder, resuming, and the arquero table.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProblemRecord } from '../../lib/data';
import {
  evalSamplesTable, evalSummaryTable, meanPassAtK, passAtK, readEvalRun, runEvaluation, samplesPath,
  type SampleRequest, type SampledText, type Sampler, type SamplingSpec,
} from '../../lib/eval';
import { renderPrompt } from '../../lib/prompts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'rlvr-eval-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('pass@k: the unbiased estimator by hand', () => {
  assert.equal(passAtK(8, 0, 1), 0);
  close(passAtK(8, 2, 1), 2 / 8);
  close(passAtK(8, 1, 4), 1 - 35 / 70); // 1 - C(7,4)/C(8,4)
  close(passAtK(8, 2, 4), 1 - 15 / 70); // 1 - C(6,4)/C(8,4)
  assert.equal(passAtK(8, 2, 8), 1);
  assert.equal(passAtK(8, 5, 4), 1); // n - c < k
  close(meanPassAtK([[8, 8], [8, 2], [8, 0]], 1), 10 / 24);
  assert.throws(() => passAtK(4, 5, 1), /c must be an integer in \[0, n=4\]/);
  assert.throws(() => passAtK(4, 1, 5), /k must be an integer in \[1, n=4\]/);
});

// AMC-like: 3 problems × 8 samples. MATH-like: 2 problems × 1 greedy sample.
const AMC: ProblemRecord[] = [
  { prompt: 'Problem A?', answer: '5', source: 'amc', id: 'a' },
  { prompt: 'Problem B?', answer: '12', source: 'amc', id: 'b' },
  { prompt: 'Problem C?', answer: '7', source: 'amc', id: 'c' },
];
const MATH: ProblemRecord[] = [
  { prompt: 'Problem D?', answer: '3', source: 'math', id: 'd' },
  { prompt: 'Problem E?', answer: '4', source: 'math', id: 'e' },
];

/** The scripted answer of sample j to the problem with this prompt. */
function script(problem: string, j: number): string {
  switch (problem) {
    case 'Problem A?': // 8 correct, 4 of them with code
      return j < 4 ? 'Let me use python. \\boxed{5}' : '\\boxed{5}';
    case 'Problem B?': // 2 boxed correct; 4 wrong with code; 2 unboxed "12" (authors' last-number fallback: correct; strict: no answer)
      return j < 2 ? '\\boxed{12}' : j < 6 ? 'python says \\boxed{13}' : 'so we get 12 apples';
    case 'Problem C?':
      return '\\boxed{8}';
    case 'Problem D?':
      return 'easy: \\boxed{3}';
    case 'Problem E?':
      return 'python: \\boxed{5}';
    default:
      throw new Error(`unscripted problem ${problem}`);
  }
}

interface Call {
  requests: SampleRequest[];
  spec: SamplingSpec;
}

function scriptedSampler(calls: Call[], failOnCall?: number): Sampler {
  return {
    description: 'scripted',
    async sample(requests, spec) {
      calls.push({ requests: [...requests], spec });
      if (failOnCall === calls.length) throw new Error('sampler crashed');
      return requests.map((r): SampledText[] => {
        const prompt = 'prompt' in r ? r.prompt : r.messages[0].content;
        const problem = /Problem [A-Z]\?/.exec(prompt)?.[0] ?? '';
        return Array.from({ length: spec.n }, (_, j) => ({ text: script(problem, j), finishReason: 'stop' }));
      });
    },
  };
}

test('avg@8, pass@k, code frequency and accuracy with/without code come out as computed by hand', async () => {
  const calls: Call[] = [];
  const out = tmp();
  const r = await runEvaluation({ sampler: scriptedSampler(calls), benchmarks: ['math500', 'amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC, math500: MATH } });

  // The protocol (spec §8) reached the sampler: MATH-500 greedy × 1, AMC 8 samples at T = 0.6; top_p 1; 3072 tokens; seed 42.
  assert.deepEqual(calls.map((c) => [c.spec.n, c.spec.temperature, c.spec.topP, c.spec.maxTokens, c.spec.seed]), [[1, 0, 1, 3072, 42], [8, 0.6, 1, 3072, 42]]);
  assert.deepEqual(calls[1].requests.map((q) => ('prompt' in q ? q.prompt : null)), AMC.map((p) => renderPrompt('qwen-math', p.prompt)));
  assert.deepEqual(calls[1].spec.stop, []);

  const [math, amc] = r.summaries;
  assert.equal(math.metric, 'pass@1');
  assert.equal(amc.metric, 'avg@8');
  assert.equal(amc.problems, 3);
  // strict: 8 + 2 + 0 of 24; authors also counts B's two unboxed "12": 8 + 4 + 0.
  assert.equal(amc.strict.accuracy.k, 10);
  assert.equal(amc.strict.accuracy.n, 24);
  assert.equal(amc.authors.accuracy.k, 12);
  close(amc.strict.passAtK['pass@1'], 10 / 24);
  close(amc.strict.passAtK['pass@8'], 2 / 3);
  close(amc.authors.passAtK['pass@8'], 2 / 3);
  assert.deepEqual(Object.keys(amc.strict.passAtK), ['pass@1', 'pass@8']);
  // Code: A's 4 + B's 4 of 24. With code: A's 4 right, B's 4 wrong. Without: A 4 + B 2 of 16 (strict), + B's 2 unboxed (authors).
  assert.deepEqual([amc.codeFrequency.k, amc.codeFrequency.n], [8, 24]);
  assert.deepEqual([amc.strict.withCode.k, amc.strict.withCode.n], [4, 8]);
  assert.deepEqual([amc.strict.withoutCode.k, amc.strict.withoutCode.n], [6, 16]);
  assert.deepEqual([amc.authors.withoutCode.k, amc.authors.withoutCode.n], [8, 16]);
  assert.ok(amc.strict.accuracy.low < 10 / 24 && amc.strict.accuracy.high > 10 / 24);
  // MATH: D right, E wrong (and uses code): 1/2; accuracy without code 1/1, with code 0/1.
  assert.deepEqual([math.strict.accuracy.k, math.strict.accuracy.n], [1, 2]);
  assert.deepEqual(Object.keys(math.strict.passAtK), ['pass@1']);
  assert.deepEqual([math.strict.withCode.k, math.strict.withCode.n, math.strict.withoutCode.k, math.strict.withoutCode.n], [0, 1, 1, 1]);
  assert.deepEqual(amc.finishReasons, { stop: 24 });

  // The run folder: config, one JSONL line per problem, summary; readEvalRun gives it back.
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  assert.equal(config.template, 'qwen-math');
  assert.deepEqual(config.plans.map((p: { benchmark: string; samples: number; temperature: number }) => [p.benchmark, p.samples, p.temperature]), [['math500', 1, 0], ['amc', 8, 0.6]]);
  const lines = readFileSync(samplesPath(out, 'amc'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.index, l.id, l.gold, l.samples.length]), [[0, 'a', '5', 8], [1, 'b', '12', 8], [2, 'c', '7', 8]]);
  assert.deepEqual(lines[1].samples[6].strict, { correct: false, extracted: null, reason: 'no_answer' });
  assert.deepEqual(lines[1].samples[6].authors, { correct: true, extracted: '12', reason: 'equivalent' });
  const back = readEvalRun(out);
  assert.deepEqual(back.summaries, r.summaries);
  assert.equal(back.results.amc.length, 3);

  // Tables for notebooks.
  const t = evalSummaryTable(r.summaries);
  assert.equal(t.numRows(), 4);
  const rows = t.objects() as Record<string, unknown>[];
  const amcStrict = rows.find((x) => x.benchmark === 'amc' && x.mode === 'strict') as Record<string, number>;
  close(amcStrict.accuracy, 10 / 24);
  close(amcStrict['pass@8'], 2 / 3);
  close(amcStrict.code_frequency, 1 / 3);
  close(amcStrict.acc_with_code, 0.5);
  close(amcStrict.acc_without_code, 6 / 16);
  assert.equal((rows.find((x) => x.benchmark === 'math500' && x.mode === 'strict') as Record<string, unknown>)['pass@8'], null);
  const samples = evalSamplesTable(back.results.amc);
  assert.equal(samples.numRows(), 24);
  assert.equal((samples.objects() as { uses_code: boolean }[]).filter((s) => s.uses_code).length, 8);
});

test('resuming: finished problems are skipped; a crash keeps the chunks already written', async () => {
  const out = tmp();
  const crashed: Call[] = [];
  await assert.rejects(
    runEvaluation({ sampler: scriptedSampler(crashed, 2), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, chunkSize: 1 }),
    /sampler crashed/,
  );
  assert.equal(readFileSync(samplesPath(out, 'amc'), 'utf8').trim().split('\n').length, 1);
  assert.equal(existsSync(join(out, 'summary.json')), false);
  const calls: Call[] = [];
  const r = await runEvaluation({ sampler: scriptedSampler(calls), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, chunkSize: 1 });
  assert.deepEqual(calls.map((c) => c.requests.map((q) => q.id)), [['amc#1'], ['amc#2']]);
  assert.deepEqual([r.sampledProblems, r.resumedProblems], [2, 1]);
  assert.equal(r.summaries[0].strict.accuracy.k, 10);
  // Everything done: a third run samples nothing. --limit 2 then reports only the first two problems.
  const none: Call[] = [];
  const again = await runEvaluation({ sampler: scriptedSampler(none), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC } });
  assert.equal(none.length, 0);
  assert.deepEqual(again.summaries, r.summaries);
  const limited = await runEvaluation({ sampler: scriptedSampler(none), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, limit: 2 });
  assert.equal(limited.summaries[0].problems, 2);
  assert.equal(limited.summaries[0].strict.accuracy.k, 10);
  assert.equal(none.length, 0);
});

test('a run folder refuses another seed or plan; unknown templates list the known ones', async () => {
  const out = tmp();
  await runEvaluation({ sampler: scriptedSampler([]), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, limit: 1 });
  await assert.rejects(
    runEvaluation({ sampler: scriptedSampler([]), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, seed: 1 }),
    /config\.json field "seed": this run folder was made with seed 42, not 1; use a new --out folder/,
  );
  await assert.rejects(
    runEvaluation({ sampler: scriptedSampler([]), benchmarks: ['amc'], template: 'qwen-math', outDir: out, problems: { amc: AMC }, overrides: { samples: 4 } }),
    /field "plans\.amc"/,
  );
  await assert.rejects(runEvaluation({ sampler: scriptedSampler([]), benchmarks: ['amc'], template: 'qwen-maths', outDir: tmp(), problems: { amc: AMC } }), /qwen-math/);
});

test('templates: r1 stops at </answer> and keeps it; chat sends the problem as the only user turn', async () => {
  const r1: Call[] = [];
  await runEvaluation({ sampler: scriptedSampler(r1), benchmarks: ['math500'], template: 'r1', outDir: tmp(), problems: { math500: MATH } });
  assert.deepEqual(r1[0].spec.stop, ['</answer>']);
  assert.equal(r1[0].spec.includeStopString, true);
  assert.equal((r1[0].requests[0] as { prompt: string }).prompt, renderPrompt('r1', 'Problem D?'));
  const chat: Call[] = [];
  await runEvaluation({ sampler: scriptedSampler(chat), benchmarks: ['math500'], template: 'chat', outDir: tmp(), problems: { math500: MATH } });
  assert.deepEqual((chat[0].requests[0] as { messages: unknown }).messages, [{ role: 'user', content: 'Problem D?' }]);
  assert.deepEqual(chat[0].spec.stop, []);
});
