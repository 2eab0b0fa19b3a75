// Unknown and malformed options: every sub-command answers with one short line naming the option (and the
// closest known one), its usage line, and exit code 2, instead of Node's raw parseArgs text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../lib/cli/main';
import { COMMANDS } from '../../lib/cli/commands';
import { optionProblem, parseCommandArgs, type OptionSpec } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/command';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

test('rlvr grade f --mdoe authors: "unknown option --mdoe (did you mean --mode?)" and the usage line', async () => {
  const r = await run(['grade', 'f', '--mdoe', 'authors']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  const lines = r.err.split('\n');
  assert.equal(lines[0], 'rlvr grade: unknown option --mdoe (did you mean --mode?)');
  assert.match(lines[1], /^usage: rlvr grade FILE\.jsonl \[--mode strict\|authors\]/);
  assert.doesNotMatch(r.err, /To specify a positional argument|'-- "/, 'none of parseArgs\'s own text');
  assert.ok(r.err.length < 400, 'a short message, not the whole help text');
});

/** The first sub-command a usage line names ("rlvr data <where|list|pull>", "rlvr grid run ..."), if any. */
function firstSubcommand(name: string, usage: string): string[] {
  const m = new RegExp(`rlvr ${name} <?([a-z][a-z-]*)`).exec(usage);
  return m ? [m[1]] : [];
}

test('every sub-command refuses an unknown option the same way', async () => {
  for (const cmd of COMMANDS) {
    // Commands with sub-commands (data, grid) dispatch first; each sub-command parses its own options.
    const argv = [cmd.name, ...firstSubcommand(cmd.name, cmd.usage), '--no-such-flag'];
    const r = await run(argv);
    assert.equal(r.code, 2, `${cmd.name}: exit code`);
    assert.match(r.err, new RegExp(`^rlvr ${cmd.name}: unknown option --no-such-flag\\n`), `${cmd.name}: ${r.err}`);
    assert.match(r.err, new RegExp(`\\nusage: rlvr ${cmd.name}\\b`), `${cmd.name}: usage line`);
  }
});

test('train: a typo of --resume is named with its correction', async () => {
  const r = await run(['train', '--resme', 'runs/x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^rlvr train: unknown option --resme \(did you mean --resume\?\)\n/);
  assert.match(r.err, /usage: rlvr train --config FILE\.json.*\n\s+rlvr train --resume RUN_DIR/);
});

const SPEC: OptionSpec = { mode: { type: 'string', short: 'm' }, quiet: { type: 'boolean' }, only: { type: 'string', multiple: true } };

test('optionProblem: short options, missing values, values on flags, option-like values', () => {
  assert.equal(optionProblem(['f', '--mode', 'authors', '-m', 'strict', '--quiet', '--only', 'a', '--only=b'], SPEC), null);
  assert.equal(optionProblem(['-x'], SPEC), 'unknown option -x');
  assert.equal(optionProblem(['--qiet'], SPEC), 'unknown option --qiet (did you mean --quiet?)');
  assert.equal(optionProblem(['--mode'], SPEC), 'option --mode needs a value');
  assert.equal(optionProblem(['--quiet=yes'], SPEC), 'option --quiet takes no value, received "--quiet=yes"');
  assert.match(optionProblem(['--mode', '--quiet'], SPEC) ?? '', /^option --mode needs a value, received "--quiet", which reads as an option \(write --mode=--quiet/);
  assert.equal(optionProblem(['--mode=-3'], SPEC), null, 'an inline value may start with a dash');
  assert.equal(optionProblem(['--', '--not-an-option'], SPEC), null, 'after -- everything is positional');
});

test('parseCommandArgs returns parseArgs\'s values and throws a UsageError for a bad option', () => {
  const { values, positionals } = parseCommandArgs(['a.jsonl', '--mode', 'authors', '--only', 'x', '--only', 'y'], SPEC);
  assert.deepEqual(positionals, ['a.jsonl']);
  assert.equal(values.mode, 'authors');
  assert.deepEqual(values.only, ['x', 'y']);
  assert.throws(() => parseCommandArgs(['--mdoe', 'x'], SPEC), (e: unknown) => e instanceof UsageError && e.message === 'unknown option --mdoe (did you mean --mode?)');
});
