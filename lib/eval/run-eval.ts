// Runs the evaluation protocol over benchmarks into a run folder:
//   <out>/config.json               what was run (template, seed, per-benchmark plan, sampler)
//   <out>/samples/<benchmark>.jsonl one line per problem (ProblemResult): prompt, gold, graded samples
//   <out>/summary.json              per-benchmark BenchmarkSummary (both verifier modes)
// Every file is written atomically. The samples file is rewritten after each chunk of problems, so an
// interrupted run keeps what it finished; running again skips the problems already in it (and a served
// model's client cache covers the chunk that was in flight).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchmark, type BenchmarkName, type DataOptions, type ProblemRecord } from '../data';
import { promptTemplate } from '../prompts';
import { DataError, parseJsonl, writeFileAtomic } from '../util';
import { summarizeBenchmark, type BenchmarkSummary, type ProblemResult } from './eval-summary';
import { gradeSample } from './grade-sample';
import { benchmarkPlan, type BenchmarkPlan, type PlanOverrides } from './protocol';
import type { SampleRequest, Sampler, SamplingSpec } from './sampler';

/** Sends the raw problem as the only (user) turn; the server or renderChat applies the chat template (spec §7.1). */
export const CHAT_TEMPLATE = 'chat';

export interface EvalRunOptions {
  sampler: Sampler;
  benchmarks: readonly BenchmarkName[];
  /** A named prompt template of lib/prompts (qwen-math, r1, ...), or CHAT_TEMPLATE. */
  template: string;
  outDir: string;
  /** Seed of every sampled benchmark (sample j of a served model uses seed + j). Default 42 (spec §4.1). */
  seed?: number;
  /** Only the first `limit` problems of each benchmark (smoke runs, tests). */
  limit?: number;
  overrides?: PlanOverrides;
  data?: DataOptions;
  /** Problems to use instead of the benchmark files. */
  problems?: Partial<Record<BenchmarkName, readonly ProblemRecord[]>>;
  /** Problems per sampler call (and per rewrite of the samples file). Default 16. */
  chunkSize?: number;
  onProgress?: (p: { benchmark: BenchmarkName; done: number; total: number }) => void;
}

export interface EvalRunConfig {
  version: 1;
  sampler: string;
  template: string;
  seed: number;
  limit: number | null;
  plans: BenchmarkPlan[];
}

export interface EvalRunResult {
  outDir: string;
  config: EvalRunConfig;
  summaries: BenchmarkSummary[];
  results: Partial<Record<BenchmarkName, ProblemResult[]>>;
  /** Problems sampled by this call (the rest were already in the run folder). */
  sampledProblems: number;
  resumedProblems: number;
}

export function samplesPath(outDir: string, benchmark: string): string {
  return join(outDir, 'samples', `${benchmark}.jsonl`);
}

/** The problems already in a samples file, by index. */
function readDone(file: string, plan: BenchmarkPlan): Map<number, ProblemResult> {
  const done = new Map<number, ProblemResult>();
  if (!existsSync(file)) return done;
  for (const rec of parseJsonl(readFileSync(file, 'utf8'), file)) {
    const v = rec.value as Partial<ProblemResult>;
    if (typeof v.index !== 'number' || !Array.isArray(v.samples)) throw new DataError({ file, line: rec.line }, 'expected a problem result with "index" and "samples"');
    if (v.samples.length !== plan.samples) {
      throw new DataError({ file, line: rec.line, field: 'samples' }, `holds ${v.samples.length} samples but the plan asks for ${plan.samples}; use a new run folder`);
    }
    done.set(v.index, v as ProblemResult);
  }
  return done;
}

/** A folder already used with a different template, seed or plan must not be mixed into. */
function checkSameRun(outDir: string, config: EvalRunConfig): void {
  const file = join(outDir, 'config.json');
  if (!existsSync(file)) return;
  let old: EvalRunConfig;
  try {
    old = JSON.parse(readFileSync(file, 'utf8')) as EvalRunConfig;
  } catch (err) {
    throw new DataError({ file }, `not valid JSON (${(err as Error).message})`);
  }
  const differs = (field: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      throw new DataError({ file, field }, `this run folder was made with ${field} ${JSON.stringify(a)}, not ${JSON.stringify(b)}; use a new --out folder`);
    }
  };
  differs('template', old.template, config.template);
  differs('seed', old.seed, config.seed);
  for (const p of config.plans) {
    const q = (old.plans ?? []).find((x) => x.benchmark === p.benchmark);
    if (q !== undefined) differs(`plans.${p.benchmark}`, q, p);
  }
}

function requestFor(template: string, benchmark: string, index: number, problem: string): { request: SampleRequest; shown: string } {
  const id = `${benchmark}#${index}`;
  if (template === CHAT_TEMPLATE) {
    const messages = [{ role: 'user' as const, content: problem }];
    return { request: { id, messages }, shown: JSON.stringify(messages) };
  }
  const prompt = promptTemplate(template).render(problem);
  return { request: { id, prompt }, shown: prompt };
}

function toJsonl(results: readonly ProblemResult[]): string {
  return results.map((r) => JSON.stringify(r)).join('\n') + (results.length > 0 ? '\n' : '');
}

export async function runEvaluation(opts: EvalRunOptions): Promise<EvalRunResult> {
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(seed)) throw new Error(`eval: seed must be an integer, received ${seed}`);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) throw new Error(`eval: limit must be a positive integer, received ${opts.limit}`);
  if (opts.template !== CHAT_TEMPLATE) promptTemplate(opts.template); // an unknown name fails here, listing the known ones
  const chunkSize = opts.chunkSize ?? 16;
  const plans = opts.benchmarks.map((b) => benchmarkPlan(b, opts.overrides));
  const stop = opts.template === CHAT_TEMPLATE ? [] : [...promptTemplate(opts.template).stopStrings];
  const includeStopString = opts.template === CHAT_TEMPLATE ? false : promptTemplate(opts.template).includeStopString;
  const config: EvalRunConfig = { version: 1, sampler: opts.sampler.description, template: opts.template, seed, limit: opts.limit ?? null, plans };
  checkSameRun(opts.outDir, config);
  writeFileAtomic(join(opts.outDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  const results: Partial<Record<BenchmarkName, ProblemResult[]>> = {};
  const summaries: BenchmarkSummary[] = [];
  let sampledProblems = 0;
  let resumedProblems = 0;
  for (const plan of plans) {
    const b = plan.benchmark;
    const all = opts.problems?.[b] ?? loadBenchmark(b, opts.data);
    const problems = opts.limit === undefined ? all : all.slice(0, opts.limit);
    const file = samplesPath(opts.outDir, b);
    const done = readDone(file, plan);
    const todo = problems.map((p, index) => ({ p, index })).filter(({ index }) => !done.has(index));
    resumedProblems += problems.length - todo.length;
    const spec: SamplingSpec = { n: plan.samples, temperature: plan.temperature, topP: plan.topP, maxTokens: plan.maxTokens, stop, includeStopString, seed };
    opts.onProgress?.({ benchmark: b, done: problems.length - todo.length, total: problems.length });
    for (let at = 0; at < todo.length; at += chunkSize) {
      const chunk = todo.slice(at, at + chunkSize);
      const reqs = chunk.map(({ p, index }) => requestFor(opts.template, b, index, p.prompt));
      const sampled = await opts.sampler.sample(reqs.map((r) => r.request), spec);
      if (sampled.length !== chunk.length) throw new Error(`eval: the sampler returned ${sampled.length} results for ${chunk.length} requests`);
      chunk.forEach(({ p, index }, i) => {
        if (sampled[i].length !== plan.samples) throw new Error(`eval: the sampler returned ${sampled[i].length} samples for ${b} problem ${index}; expected ${plan.samples}`);
        done.set(index, { benchmark: b, index, id: p.id, problem: p.prompt, gold: p.answer, prompt: reqs[i].shown, samples: sampled[i].map((s) => gradeSample(s, p.answer)) });
      });
      sampledProblems += chunk.length;
      // Rewrite the whole file (sorted by index) atomically: a crash leaves the previous complete file.
      writeFileAtomic(file, toJsonl([...done.values()].sort((x, y) => x.index - y.index)));
      opts.onProgress?.({ benchmark: b, done: problems.length - todo.length + at + chunk.length, total: problems.length });
    }
    const selected = problems.map((_, index) => done.get(index) as ProblemResult);
    results[b] = selected;
    summaries.push(summarizeBenchmark(plan, selected));
  }
  writeFileAtomic(join(opts.outDir, 'summary.json'), `${JSON.stringify({ config, benchmarks: summaries }, null, 2)}\n`);
  return { outDir: opts.outDir, config, summaries, results, sampledProblems, resumedProblems };
}

/** Reads a finished run folder (for notebooks): its config, summaries and per-problem results. */
export function readEvalRun(outDir: string): { config: EvalRunConfig; summaries: BenchmarkSummary[]; results: Record<string, ProblemResult[]> } {
  const file = join(outDir, 'summary.json');
  let summary: { config: EvalRunConfig; benchmarks: BenchmarkSummary[] };
  try {
    summary = JSON.parse(readFileSync(file, 'utf8')) as typeof summary;
  } catch (err) {
    throw new DataError({ file }, `cannot read the run summary (${(err as Error).message}); has the run finished?`);
  }
  const results: Record<string, ProblemResult[]> = {};
  for (const plan of summary.config.plans) {
    const f = samplesPath(outDir, plan.benchmark);
    results[plan.benchmark] = [...readDone(f, plan).values()].sort((x, y) => x.index - y.index);
  }
  return { config: summary.config, summaries: summary.benchmarks, results };
}
