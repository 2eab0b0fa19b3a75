// `rlvr eval`: the paper's evaluation protocol (spec §8) on a served model (any OpenAI-compatible
// endpoint: vLLM, SGLang, llama.cpp, Ollama, rlvr serve-model) or an in-process checkpoint.
import { join } from 'node:path';
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { pct, textTable } from './text-table';
import { BENCHMARKS } from '../data';
import {
  CHAT_TEMPLATE, EVAL_MAX_TOKENS, createEndpointSampler, createModelSampler, parseBenchmarkList, runEvaluation,
  type BenchmarkSummary, type Sampler,
} from '../eval';
import { PROMPT_TEMPLATES } from '../prompts';
import { createOpenAiClient } from '../sampling';
import { loadServedModel } from '../serve';
import { BACKEND_NAMES, initBackend, type BackendName } from '../tensor';

const USAGE = `usage: rlvr eval (--endpoint URL --model NAME | --checkpoint FOLDER [--tokenizer PATH])
                 [--benchmarks LIST] [--template NAME | --chat] [--out DIR] [--limit N] [--seed S]
                 [--max-tokens N] [--samples N] [--temperature T] [--concurrency N] [--timeout-s S]
                 [--retries N] [--api-key-env VAR] [--cache DIR] [--data-dir DIR] [--backend B]

  The paper's evaluation (the authors' code/scripts/eval_checkpoint.py): MATH-500 one greedy sample;
  AMC, AIME 2024 and AIME 2025 avg@8 at temperature 0.6; top_p 1; ${EVAL_MAX_TOKENS} new tokens; pass@k
  alongside. Grades every sample in strict and authors mode, counts code reasoning (the response
  mentions "python") and accuracy with and without it. Writes DIR/config.json,
  DIR/samples/<benchmark>.jsonl (one line per problem) and DIR/summary.json. Running again with the
  same DIR resumes: finished problems are skipped, and served samples already paid for come from the
  cache.

  --endpoint      base URL of an OpenAI-compatible API, e.g. http://localhost:8000/v1
  --model         the model name the server serves (vLLM: the name given to vllm serve)
  --checkpoint    or: a checkpoint folder to run in-process (slow on CPU; for organisms and smoke tests)
  --tokenizer     with --checkpoint: tokenizer.json / char-tokenizer.json / folder (default: the checkpoint)
  --benchmarks    comma-separated, from ${Object.keys(BENCHMARKS).join(', ')} (default: all four)
  --template      prompt template: ${Object.keys(PROMPT_TEMPLATES).join(', ')} (default qwen-math);
                  rendered here and sent to /v1/completions
  --chat          instead: send the problem as the only user turn to /v1/chat/completions (the server's
                  chat template; paper §2.1 for chat models other than Qwen-Math)
  --out           run folder (default runs/eval-<model>-<template>)
  --limit         only the first N problems of each benchmark (smoke runs)
  --seed          sampling seed (default 42; sample j is requested with seed + j)
  --max-tokens    new tokens per sample (default ${EVAL_MAX_TOKENS})
  --samples       samples per problem instead of the protocol's (changes the metric to avg@N)
  --temperature   instead of the protocol's
  --concurrency   requests in flight (default 16)
  --timeout-s     per-request timeout in seconds (default 1200)
  --retries       retries on 429/5xx/timeouts (default 5)
  --api-key-env   environment variable holding the API key (sent as a Bearer token)
  --cache         sample cache folder (default DIR/cache)
  --data-dir      data directory (default: $RLVR_DATA_DIR, then data/, then ../shared/data)
  --backend       with --checkpoint: tfjs backend (${BACKEND_NAMES.join(', ')})
`;

function num(name: string, v: unknown, check: (n: number) => boolean, want: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!check(n)) throw new UsageError(`--${name} must be ${want}, received "${String(v)}"`);
  return n;
}
const posInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

function summaryText(summaries: readonly BenchmarkSummary[]): string {
  const ks = [...new Set(summaries.flatMap((s) => Object.keys(s.strict.passAtK)))];
  const rows = summaries.map((s) => [
    s.displayName, s.metric, String(s.problems),
    pct(s.strict.accuracy.rate), pct(s.authors.accuracy.rate),
    ...ks.map((k) => (s.strict.passAtK[k] === undefined ? '–' : pct(s.strict.passAtK[k]))),
    pct(s.codeFrequency.rate), pct(s.strict.withCode.rate), pct(s.strict.withoutCode.rate),
  ]);
  return textTable(['benchmark', 'metric', 'problems', 'strict', 'authors', ...ks.map((k) => `${k} strict`), 'code', 'acc code', 'acc no code'], rows);
}

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: "evaluate a served or in-process model with the paper's protocol (MATH-500, AMC, AIME 24/25)",
  usage: USAGE,
  async run(argv, io) {
    const { values: v, positionals } = parseCommandArgs(argv, {
      endpoint: { type: 'string' }, model: { type: 'string' }, checkpoint: { type: 'string' }, tokenizer: { type: 'string' },
      benchmarks: { type: 'string', default: Object.keys(BENCHMARKS).join(',') }, template: { type: 'string' }, chat: { type: 'boolean' },
      out: { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string', default: '42' }, 'max-tokens': { type: 'string' },
      samples: { type: 'string' }, temperature: { type: 'string' }, concurrency: { type: 'string', default: '16' },
      'timeout-s': { type: 'string', default: '1200' }, retries: { type: 'string', default: '5' }, 'api-key-env': { type: 'string' },
      cache: { type: 'string' }, 'data-dir': { type: 'string' }, backend: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const endpoint = v.endpoint as string | undefined;
    const checkpoint = v.checkpoint as string | undefined;
    if ((endpoint === undefined) === (checkpoint === undefined)) throw new UsageError('give either --endpoint URL (with --model) or --checkpoint FOLDER');
    if (endpoint !== undefined && v.model === undefined) throw new UsageError('--endpoint needs --model (the name the server serves; see GET /v1/models)');
    if (v.chat === true && v.template !== undefined) throw new UsageError('give --template NAME or --chat, not both');
    const template = v.chat === true ? CHAT_TEMPLATE : ((v.template as string | undefined) ?? 'qwen-math');
    if (template !== CHAT_TEMPLATE && !Object.prototype.hasOwnProperty.call(PROMPT_TEMPLATES, template)) {
      throw new UsageError(`--template "${template}" is not known; known: ${Object.keys(PROMPT_TEMPLATES).join(', ')}`);
    }
    let benchmarks;
    try {
      benchmarks = parseBenchmarkList(v.benchmarks as string);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const seed = num('seed', v.seed, Number.isInteger, 'an integer') as number;
    const limit = num('limit', v.limit, posInt, 'a positive integer');
    const overrides = {
      maxTokens: num('max-tokens', v['max-tokens'], posInt, 'a positive integer'),
      samples: num('samples', v.samples, posInt, 'a positive integer'),
      temperature: num('temperature', v.temperature, (n) => Number.isFinite(n) && n >= 0, 'a number >= 0'),
    };
    const name = (endpoint !== undefined ? (v.model as string) : (checkpoint as string)).replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? 'model';
    const out = (v.out as string | undefined) ?? join('runs', `eval-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${template}`);

    let sampler: Sampler;
    let describeStats: () => string = () => '';
    if (endpoint !== undefined) {
      const keyEnv = v['api-key-env'] as string | undefined;
      const apiKey = keyEnv === undefined ? undefined : process.env[keyEnv];
      if (keyEnv !== undefined && (apiKey === undefined || apiKey === '')) throw new UsageError(`--api-key-env ${keyEnv}: the variable is not set`);
      const client = createOpenAiClient({
        endpoint,
        model: v.model as string,
        apiKey,
        concurrency: num('concurrency', v.concurrency, posInt, 'a positive integer'),
        timeoutMs: (num('timeout-s', v['timeout-s'], (n) => n > 0, 'a positive number') as number) * 1000,
        retry: { maxRetries: num('retries', v.retries, (n) => Number.isInteger(n) && n >= 0, 'an integer >= 0') },
        seed,
        cacheDir: (v.cache as string | undefined) ?? join(out, 'cache'),
        onEvent: (e) => {
          if (e.type === 'retry') io.err(`rlvr eval: ${e.reason} from ${e.url}; retry ${e.attempt} in ${e.delayMs} ms\n`);
        },
      });
      sampler = createEndpointSampler(client);
      describeStats = () => {
        const s = client.stats();
        return `${s.requests} requests, ${s.retries} retries, ${s.cacheHits} cache hits`;
      };
    } else {
      const backend = v.backend as string | undefined;
      if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}`);
      await initBackend(backend === undefined ? {} : { backend: backend as BackendName });
      const served = loadServedModel(checkpoint as string, { tokenizer: v.tokenizer as string | undefined });
      const render = served.renderChat;
      sampler = createModelSampler(served.model, served.tokenizer, {
        description: `checkpoint ${checkpoint} (${served.model.config.arch}), tokenizer ${served.tokenizer.source}`,
        renderChat: render === null ? undefined : (ms) => render(ms),
      });
    }

    const t0 = Date.now();
    const result = await runEvaluation({
      sampler, benchmarks, template, outDir: out, seed, limit, overrides,
      // A served model batches whatever is in flight: bigger chunks keep the server busy across problem boundaries.
      chunkSize: endpoint !== undefined ? 64 : 16,
      data: v['data-dir'] === undefined ? {} : { dataDir: v['data-dir'] as string },
      onProgress: (p) => io.err(`rlvr eval: ${p.benchmark} ${p.done}/${p.total}\n`),
    });
    io.out(summaryText(result.summaries));
    const extra = describeStats();
    io.err(`rlvr eval: ${result.sampledProblems} problems sampled, ${result.resumedProblems} resumed${extra === '' ? '' : `; ${extra}`}; ${((Date.now() - t0) / 1000).toFixed(1)} s; results in ${out}\n`);
    return 0;
  },
};
