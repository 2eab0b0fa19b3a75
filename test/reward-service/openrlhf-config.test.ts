// The OpenRLHF launch commands (env/adapters/openrlhf_qwen7b_grpo.sh and the blocks docs/reward-service.md
// marks tested): the flags that decide whether rewards come back at all. OpenRLHF >= 0.10 budgets prompt +
// response with --data.max_len (default 2048) and cuts the prompt to max_len - max_new_tokens, so a missing
// --data.max_len with 3,072 new tokens drops every prompt and every reward request gets a 422.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { DOCS, documented } from './docs-blocks';

const PAPER_PROMPT_TOKENS = 1024;

function dryRun(cli: 'dotted' | 'flat', reward = 'ttt'): { serve: string[]; train: string[] } {
  const out = execFileSync('bash', ['env/adapters/openrlhf_qwen7b_grpo.sh'], { env: { ...process.env, DRY_RUN: '1', OPENRLHF_CLI: cli, DATA: '/data/DeepScaleR', REWARD: reward }, encoding: 'utf8' });
  const line = (prefix: string) => (out.split('\n').find((l) => l.startsWith(prefix)) ?? '').slice(prefix.length).split(/\s+/).filter(Boolean);
  return { serve: line('serve: '), train: line('train: ') };
}

/** Tokens of a documented shell block (continuation lines joined). */
function tokens(block: string): string[] {
  return block.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
}

function value(args: string[], flag: string): string {
  const i = args.indexOf(flag);
  assert.ok(i >= 0 && i + 1 < args.length, `${flag} is missing`);
  return args[i + 1];
}

const flags = (args: string[]) => args.filter((a) => a.startsWith('--'));

/** The train command of a documented block: from `python3 -m openrlhf...` on. */
function trainPart(block: string): string[] {
  const t = tokens(block);
  return t.slice(t.indexOf('python3'));
}

function checkDotted(train: string[], serve: string[] | undefined): void {
  const maxLen = Number(value(train, '--data.max_len'));
  const newTokens = Number(value(train, '--rollout.max_new_tokens'));
  assert.ok(maxLen - newTokens >= PAPER_PROMPT_TOKENS, `--data.max_len ${maxLen} leaves ${maxLen - newTokens} prompt tokens`);
  assert.doesNotMatch(train.join(' '), /--prompt_max_len|--generate_max_len|--remote_rm_url/, 'flat flags do not parse in OpenRLHF >= 0.10.2');
  const url = value(train, '--reward.remote_url');
  assert.match(url, /^http:\/\/[^,]+\/get_reward$/, 'one URL, with the path');
  if (serve) assert.equal(value(serve, '--group-size'), value(train, '--rollout.n_samples_per_prompt'));
}

test('the launcher, OpenRLHF 3c3be62 flags: --data.max_len leaves the paper\'s 1,024 prompt tokens, one reward URL, --group-size = samples per prompt', () => {
  const { serve, train } = dryRun('dotted');
  checkDotted(train, serve);
  assert.equal(value(train, '--data.max_len'), '4096');
});

test('the launcher, OpenRLHF 591b148 flags: prompt and generation budgets as the paper, one reward URL', () => {
  const { serve, train } = dryRun('flat', 'math');
  assert.equal(value(train, '--prompt_max_len'), '1024');
  assert.equal(value(train, '--generate_max_len'), '3072');
  assert.match(value(train, '--remote_rm_url'), /^http:\/\/[^,]+\/get_reward$/);
  assert.equal(value(serve, '--group-size'), value(train, '--n_samples_per_prompt'));
});

test('the documented OpenRLHF commands are the launcher\'s, flag for flag, and keep the same invariants', () => {
  const dotted = documented('openrlhf dotted');
  const all = tokens(dotted);
  checkDotted(trainPart(dotted), all.slice(0, all.indexOf('ray')));
  assert.deepEqual(flags(trainPart(dotted)), flags(dryRun('dotted').train));
  assert.deepEqual(flags(trainPart(documented('openrlhf flat'))), flags(dryRun('flat').train));
});

test('the rename table covers every flag of the two commands, --prompt_max_len/--generate_max_len -> --data.max_len included', () => {
  const table = DOCS.slice(DOCS.indexOf('| 591b148 | 3c3be62 |'));
  const rows = table.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split('|').slice(1, 3));
  const left = new Set(rows.flatMap(([l]) => l.match(/--[a-z0-9_.]+/g) ?? []));
  const right = new Set(rows.flatMap(([, r]) => r.match(/--[a-z0-9_.]+/g) ?? []));
  const missingFlat = flags(dryRun('flat').train).filter((f) => !left.has(f));
  const missingDotted = flags(dryRun('dotted').train).filter((f) => !right.has(f));
  assert.deepEqual(missingFlat, [], 'flat flags without a row');
  assert.deepEqual(missingDotted, [], 'dotted flags without a row');
  const row = rows.find(([l]) => l.includes('--prompt_max_len'));
  assert.ok(row && row[0].includes('--generate_max_len') && row[1].includes('--data.max_len 4096'), 'the max_len row');
});
