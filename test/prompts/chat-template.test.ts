// Checkpoint chat templates rendered with @huggingface/jinja.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../lib/tokenizers';
import { CODE_FORCING_PREFIX, applyChatTemplate, renderChatPrompt, renderChatTemplate, renderPrompt, type ChatMessage } from '../../lib/prompts';

// A ChatML template written for this test in the style of Qwen2.5-Math's: a default system line
// when the conversation has none.
const CHATML_JINJA =
  "{% if messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nPlease reason step by step, and put your final answer within \\\\boxed{}.<|im_end|>\\n' }}{% endif %}" +
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

// Llama-3-like: bos text, a date line, and a raise_exception on a bad role order.
const LLAMA_LIKE_JINJA =
  "{{ bos_token }}{% if messages[0]['role'] == 'assistant' %}{{ raise_exception('conversation must start with user or system') }}{% endif %}" +
  "{{ 'Today Date: ' + date_string + '\\n' }}" +
  "{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' + m['content'] + eos_token }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

const FIXTURE = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny', 'tokenizer-bpe');

function checkpointWith(config: object): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'chat-'));
  copyFileSync(join(FIXTURE, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a Qwen-Math-style Jinja ChatML template renders the same string as the built-in qwen-math prompt', () => {
  const problem = 'Compute $\\frac{1}{2}+\\frac{1}{3}$.';
  const out = renderChatTemplate(CHATML_JINJA, [{ role: 'user', content: problem }]);
  assert.equal(out, renderPrompt('qwen-math', problem));
});

test('add_generation_prompt false leaves no open assistant turn; a given system message replaces the default', () => {
  const msgs: ChatMessage[] = [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }, { role: 'assistant', content: 'A' }];
  assert.equal(
    renderChatTemplate(CHATML_JINJA, msgs, { addGenerationPrompt: false }),
    '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n',
  );
});

test('bos/eos texts and a fixed date_string reach the template; variables can override the date', () => {
  const msgs: ChatMessage[] = [{ role: 'user', content: 'hi' }];
  const out = renderChatTemplate(LLAMA_LIKE_JINJA, msgs, { bosToken: '<B>', eosToken: '<E>' });
  assert.equal(out, '<B>Today Date: 26 Jul 2024\n<|start_header_id|>user<|end_header_id|>\n\nhi<E><|start_header_id|>assistant<|end_header_id|>\n\n');
  assert.ok(renderChatTemplate(LLAMA_LIKE_JINJA, msgs, { variables: { date_string: '01 Jan 2025' } }).includes('Today Date: 01 Jan 2025'));
});

test('template errors name the source: parse errors and raise_exception', () => {
  assert.throws(() => renderChatTemplate('{% if %}', [{ role: 'user', content: 'x' }], { source: 'ckpt/tokenizer_config.json' }),
    /chat template from ckpt\/tokenizer_config.json does not parse/);
  assert.throws(() => renderChatTemplate(LLAMA_LIKE_JINJA, [{ role: 'assistant', content: 'x' }], { source: 'llama' }),
    /chat template from llama failed to render: conversation must start with user or system/);
  assert.throws(() => renderChatTemplate(CHATML_JINJA, []), /messages is empty/);
  assert.throws(() => renderChatTemplate(CHATML_JINJA, [{ role: 'tool' as 'user', content: 'x' }]), /messages\[0\]\.role is "tool"/);
});

test("applyChatTemplate uses the checkpoint's template and special texts; renderChatPrompt adds the code-forcing prefix", () => {
  const cp = checkpointWith({ chat_template: LLAMA_LIKE_JINJA, bos_token: '<|im_start|>', eos_token: '<|im_end|>' });
  try {
    const tok = loadTokenizer(cp.dir);
    const out = applyChatTemplate(tok, [{ role: 'user', content: 'Q' }]);
    assert.ok(out.startsWith('<|im_start|>Today Date:'));
    assert.ok(out.includes('\n\nQ<|im_end|><|start_header_id|>assistant'));
    assert.equal(renderChatPrompt(tok, 'Q', { assistantPrefix: CODE_FORCING_PREFIX }), out + CODE_FORCING_PREFIX);
    // The rendered prompt tokenizes with the specials as single ids.
    const ids = tok.encode(out);
    assert.equal(ids[0], 1);
  } finally {
    cp.done();
  }
});

test('applyChatTemplate on a checkpoint without a template says so and points to the named templates', () => {
  const tok = loadTokenizer(FIXTURE);
  assert.throws(() => applyChatTemplate(tok, [{ role: 'user', content: 'Q' }]), /has no chat template.*"r1"/);
});
