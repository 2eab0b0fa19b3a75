// Named prompt templates: rendered strings, exactly, against the spec's text (§6.5, §7.1, §7.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_FORCING_PREFIX, PROMPT_TEMPLATES, R1_STOP, promptTemplate, renderPrompt } from '../../lib/prompts';

const PROBLEM = 'What is $1+1$? Give {} and $& back.'; // braces and $-patterns must pass through untouched
const SPEC = readFileSync(join(process.cwd(), '..', 'shared', 'paper', 'spec.md'), 'utf8');

/** The first fenced block after `marker` in the spec. */
function fencedAfter(marker: string): string {
  const at = SPEC.indexOf(marker);
  assert.ok(at >= 0, `spec marker not found: ${marker}`);
  const m = /```\n([\s\S]*?)\n\s*```/.exec(SPEC.slice(at));
  assert.ok(m, `no fenced block after ${marker}`);
  return m[1].split('\n').map((l) => l.replace(/^ {2}/, '')).join('\n'); // the ChatML block is indented under a list item
}

/** §7.3 table row `name`: the first code span of the System and User cells ("\n" written as backslash-n). */
function specRow(name: string): { system: string | null; user: string } {
  const line = SPEC.split('\n').find((l) => l.startsWith(`| ${name} |`));
  assert.ok(line, `no §7.3 row for ${name}`);
  const cells = line.split(' | ');
  const span = (cell: string): string | null => {
    const m = /`([^`]*)`/.exec(cell);
    return m === null ? null : m[1].replace(/\\n/g, '\n');
  };
  return { system: span(cells[1]), user: span(cells[2]) ?? '' };
}

const chatml = (system: string, user: string): string =>
  `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`;

test('qwen-math: the exact ChatML string of spec §7.1', () => {
  const expected =
    '<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n' +
    `<|im_start|>user\n${PROBLEM}<|im_end|>\n<|im_start|>assistant\n`;
  assert.equal(renderPrompt('qwen-math', PROBLEM), expected);
  // The fenced block cannot show it, but the open assistant turn ends with a newline (ChatML's generation prompt).
  assert.equal(renderPrompt('qwen-math', PROBLEM), fencedAfter('**Qwen2.5-Math (7B / 1.5B).**').replace('{problem}', () => PROBLEM) + '\n');
});

test('r1: the verbatim §7.1 template with real newlines; stops at </answer> and keeps it', () => {
  const fromSpec = fencedAfter('Verbatim template string').replace('{problem}', () => PROBLEM);
  const r1 = renderPrompt('r1', PROBLEM);
  assert.equal(r1, fromSpec);
  assert.ok(r1.startsWith('A conversation between User and Assistant. The user asks a question'));
  assert.ok(r1.endsWith(`\n\n<|user|>\n${PROBLEM}\n<|assistant|>\n<think>`), 'no newline after <think> (as eval_checkpoint.py)');
  assert.ok(!r1.includes('\\n'), 'no literal backslash-n (the training script bug of §4.1 is not reproduced)');
  assert.deepEqual(PROMPT_TEMPLATES.r1.stopStrings, [R1_STOP]);
  assert.equal(R1_STOP, '</answer>');
  assert.equal(PROMPT_TEMPLATES.r1.includeStopString, true);
});

const VARIANTS: Array<[name: string, specName: string]> = [
  ['qwen-default', 'Qwen Default'],
  ['math-problem', 'Math Problem'],
  ['simplerl-zoo', 'SimpleRL-Zoo'],
  ['sober', 'Sober'],
  ['spurious', 'Spurious (LIPSUM)'],
];

for (const [name, specName] of VARIANTS) {
  test(`${name}: ChatML with the §7.3 "${specName}" system and user strings`, () => {
    const row = specRow(specName);
    const at = row.user.indexOf('{}');
    const user = row.user.slice(0, at) + PROBLEM + row.user.slice(at + 2);
    const system = row.system ?? 'Please reason step by step, and put your final answer within \\boxed{}.';
    assert.equal(renderPrompt(name, PROBLEM), chatml(system, user));
    assert.deepEqual(promptTemplate(name).stopStrings, []);
  });
}

test('§7.3 literal checks: SimpleRL-Zoo keeps its own \\boxed{}; Sober gets the default system line; Qwen Default = qwen-math', () => {
  assert.ok(renderPrompt('simplerl-zoo', 'P').includes('<|im_start|>user\nP\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>'));
  assert.ok(renderPrompt('sober', 'P').startsWith('<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nSolve the following'));
  assert.ok(renderPrompt('sober', 'P').includes("'Therefore, the final answer is: \\boxed{ANSWER}. I hope it is correct'"));
  assert.ok(renderPrompt('sober', 'P').endsWith('Think step by step before answering.\n\nP<|im_end|>\n<|im_start|>assistant\n'));
  assert.ok(renderPrompt('spurious', 'P').startsWith('<|im_start|>system\nLorem ipsum dolor sit amet, consectetuer adipiscing elit.<|im_end|>'));
  assert.ok(renderPrompt('spurious', 'P').endsWith('gravida placerat.\n\nP<|im_end|>\n<|im_start|>assistant\n'));
  assert.equal(renderPrompt('qwen-default', PROBLEM), renderPrompt('qwen-math', PROBLEM));
});

test('code forcing (§6.5): the assistant turn starts with the prefix, the user turn is unchanged', () => {
  assert.equal(CODE_FORCING_PREFIX, "Let's solve this using Python.");
  const forced = renderPrompt('qwen-math-python', PROBLEM);
  assert.equal(forced, renderPrompt('qwen-math', PROBLEM) + "Let's solve this using Python.");
  assert.ok(forced.endsWith("<|im_start|>assistant\nLet's solve this using Python."));
  assert.equal(renderPrompt('r1', PROBLEM, { assistantPrefix: CODE_FORCING_PREFIX }), renderPrompt('r1', PROBLEM) + CODE_FORCING_PREFIX);
});

test('qwen-chat: ChatML with the (inferred) Qwen2.5 default system line', () => {
  assert.equal(renderPrompt('qwen-chat', 'P'), chatml('You are Qwen, created by Alibaba Cloud. You are a helpful assistant.', 'P'));
});

test('unknown template names list the known ones and suggest the closest', () => {
  assert.throws(() => renderPrompt('qwen-maths', 'P'), (e: Error) =>
    e.message.includes('prompt template "qwen-maths" is not registered') && e.message.includes('did you mean "qwen-math"') && e.message.includes('simplerl-zoo'));
});

test('every registered template puts the problem in exactly once and describes itself', () => {
  for (const [name, t] of Object.entries(PROMPT_TEMPLATES)) {
    const out = t.render('UNIQUE-PROBLEM-TEXT');
    assert.equal(out.split('UNIQUE-PROBLEM-TEXT').length, 2, name);
    assert.ok(t.description.length > 10, name);
  }
});
