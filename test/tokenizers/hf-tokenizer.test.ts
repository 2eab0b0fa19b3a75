// loadTokenizer against the byte-level BPE fixture made with the Rust `tokenizers` library
// (shared/fixtures/hf-tiny/tokenizer-bpe): every sample's ids and decoded text must match exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokenizer } from '../../lib/tokenizers';

const FIXTURE = join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny', 'tokenizer-bpe');
interface Sample { text: string; ids: number[]; decoded: string }
const samples = JSON.parse(readFileSync(join(FIXTURE, 'reference.json'), 'utf8')) as Sample[];

/** A temp checkpoint folder: the fixture's tokenizer.json plus the given extra files. */
function checkpoint(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tok-'));
  copyFileSync(join(FIXTURE, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the fixture has samples to check', () => {
  assert.ok(samples.length >= 7, `expected the reference samples, found ${samples.length}`);
});

for (const [i, s] of samples.entries()) {
  test(`reference sample ${i} (${JSON.stringify(s.text.slice(0, 24))}): encode and decode match exactly`, () => {
    const tok = loadTokenizer(FIXTURE);
    assert.deepEqual(tok.encode(s.text), s.ids);
    assert.equal(tok.decode(s.ids), s.decoded);
  });
}

test('a tokenizer.json path loads the same tokenizer as its folder', () => {
  const a = loadTokenizer(FIXTURE);
  const b = loadTokenizer(join(FIXTURE, 'tokenizer.json'));
  for (const s of samples) assert.deepEqual(b.encode(s.text), a.encode(s.text));
  assert.equal(a.kind, 'huggingface');
  assert.equal(a.source, join(FIXTURE, 'tokenizer.json'));
});

test('vocabSize covers added tokens; specials are flagged; no config means no bos/eos/pad', () => {
  const tok = loadTokenizer(FIXTURE);
  assert.equal(tok.vocabSize, 1000);
  assert.equal(tok.tokenToId('<|im_start|>'), 1);
  assert.equal(tok.idToToken(2), '<|im_end|>');
  assert.ok(tok.isSpecial(0) && tok.isSpecial(1) && tok.isSpecial(2));
  assert.ok(!tok.isSpecial(100));
  assert.deepEqual(tok.special, { bos: null, eos: null, pad: null });
  assert.deepEqual(tok.eosIds, []);
  assert.equal(tok.chatTemplate, null);
});

test('special tokens are matched whole in text, and skipSpecialTokens drops them on decode', () => {
  const tok = loadTokenizer(FIXTURE);
  const ids = tok.encode('<|im_start|>user\nhi<|im_end|>');
  assert.equal(ids[0], 1);
  assert.equal(ids[ids.length - 1], 2);
  assert.equal(tok.decode(ids, { skipSpecialTokens: true }), 'user\nhi');
});

test('decode does not "clean up" spaces before punctuation (as the Rust library)', () => {
  const tok = loadTokenizer(FIXTURE);
  const text = "x , y . z ? it 's";
  assert.equal(tok.decode(tok.encode(text)), text);
});

test('decode rejects ids outside the vocabulary, naming the index', () => {
  const tok = loadTokenizer(FIXTURE);
  assert.throws(() => tok.decode([5, 1000]), /ids\[1\] is 1000, outside the vocabulary \[0, 1000\)/);
  assert.throws(() => tok.decode([-1]), /ids\[0\] is -1/);
  assert.throws(() => tok.decode([1.5]), /ids\[0\] is 1.5/);
});

test('tokenizer_config.json gives the specials (string or {content}) and the chat template', () => {
  const cp = checkpoint({
    'tokenizer_config.json': JSON.stringify({
      eos_token: { content: '<|im_end|>', special: true },
      pad_token: '<|endoftext|>',
      bos_token: null,
      chat_template: '{{ messages[0].content }}',
    }),
    'generation_config.json': JSON.stringify({ eos_token_id: [0, 2] }),
  });
  try {
    const tok = loadTokenizer(cp.dir);
    assert.deepEqual(tok.special.eos, { id: 2, text: '<|im_end|>' });
    assert.deepEqual(tok.special.pad, { id: 0, text: '<|endoftext|>' });
    assert.equal(tok.special.bos, null);
    assert.deepEqual(tok.eosIds, [2, 0], 'primary EOS first, then generation_config ids, without repeats');
    assert.equal(tok.chatTemplate, '{{ messages[0].content }}');
    assert.equal(tok.chatTemplateSource, join(cp.dir, 'tokenizer_config.json'));
  } finally {
    cp.done();
  }
});

test('without tokenizer_config.json, config.json eos_token_id gives the EOS; options override and extend it', () => {
  const cp = checkpoint({ 'config.json': JSON.stringify({ eos_token_id: 0, bos_token_id: null }), 'chat_template.jinja': 'T' });
  try {
    const tok = loadTokenizer(cp.dir);
    assert.deepEqual(tok.special.eos, { id: 0, text: '<|endoftext|>' });
    assert.deepEqual(tok.eosIds, [0]);
    assert.equal(tok.chatTemplate, 'T');
    const tok2 = loadTokenizer(cp.dir, { eosToken: '<|im_end|>', extraEosTokens: ['<|im_start|>'] });
    assert.deepEqual(tok2.special.eos, { id: 2, text: '<|im_end|>' });
    assert.deepEqual(tok2.eosIds, [2, 0, 1]);
  } finally {
    cp.done();
  }
});

test('a list of named chat templates: the one named "default" is used', () => {
  const cp = checkpoint({
    'tokenizer_config.json': JSON.stringify({ chat_template: [{ name: 'tool_use', template: 'A' }, { name: 'default', template: 'B' }] }),
  });
  try {
    assert.equal(loadTokenizer(cp.dir).chatTemplate, 'B');
  } finally {
    cp.done();
  }
});

test('bad checkpoint files: errors name the file and the field', () => {
  const unknownEos = checkpoint({ 'tokenizer_config.json': JSON.stringify({ eos_token: '</s>' }) });
  const badJson = checkpoint({ 'tokenizer_config.json': '{"eos_token": ' });
  const badIds = checkpoint({ 'config.json': JSON.stringify({ eos_token_id: [2, 5000] }) });
  try {
    assert.throws(() => loadTokenizer(unknownEos.dir), (e: Error) =>
      e.name === 'DataError' && e.message.includes('tokenizer_config.json') && e.message.includes('field "eos_token"') && e.message.includes('"</s>"'));
    assert.throws(() => loadTokenizer(badJson.dir), (e: Error) => e.message.includes('tokenizer_config.json') && /not valid JSON/.test(e.message));
    assert.throws(() => loadTokenizer(badIds.dir), (e: Error) =>
      e.message.includes('config.json') && e.message.includes('field "eos_token_id"') && e.message.includes('5000'));
    assert.throws(() => loadTokenizer(join(tmpdir(), 'no-such-checkpoint-xyz')), /no such file or folder/);
    const empty = mkdtempSync(join(tmpdir(), 'tok-empty-'));
    try {
      assert.throws(() => loadTokenizer(empty), /has no tokenizer\.json/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  } finally {
    unknownEos.done();
    badJson.done();
    badIds.done();
  }
});
