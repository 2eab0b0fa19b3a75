// CharTokenizer: the organisms' character-level tokenizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHAR_BOS_ID, CHAR_EOS_ID, CHAR_PAD_ID, CharTokenizer, type Tokenizer } from '../../lib/tokenizers';

const ALPHABET = '0123456789+-*=() \nπ𝑥'; // 𝑥 is outside the BMP: two UTF-16 units, one character

test('ids: three specials first, then the alphabet in order; round trip', () => {
  const tok = new CharTokenizer(ALPHABET);
  assert.equal(tok.vocabSize, 3 + Array.from(ALPHABET).length);
  assert.deepEqual(tok.encode('10+2'), [4, 3, 13, 5]);
  const text = '(3*4) = 12\nπ';
  assert.equal(tok.decode(tok.encode(text)), text);
  assert.deepEqual(tok.encode('𝑥π'), [tok.vocabSize - 1, tok.vocabSize - 2], 'a code point is one character, even when UTF-16 needs two units');
  assert.equal(tok.decode(tok.encode('𝑥=π')), '𝑥=π');
});

test('specials: BOS/EOS/PAD ids and texts; addSpecialTokens adds BOS; skipSpecialTokens drops them', () => {
  const tok: Tokenizer = new CharTokenizer(ALPHABET);
  assert.deepEqual(tok.special, { pad: { id: CHAR_PAD_ID, text: '<pad>' }, bos: { id: CHAR_BOS_ID, text: '<bos>' }, eos: { id: CHAR_EOS_ID, text: '<eos>' } });
  assert.deepEqual(tok.eosIds, [CHAR_EOS_ID]);
  assert.deepEqual(tok.encode('1', { addSpecialTokens: true }), [CHAR_BOS_ID, 4]);
  const ids = [CHAR_BOS_ID, 4, CHAR_EOS_ID, CHAR_PAD_ID];
  assert.equal(tok.decode(ids), '<bos>1<eos><pad>');
  assert.equal(tok.decode(ids, { skipSpecialTokens: true }), '1');
  assert.ok(tok.isSpecial(CHAR_EOS_ID) && !tok.isSpecial(4));
  assert.equal(tok.tokenToId('<eos>'), CHAR_EOS_ID);
  assert.equal(tok.tokenToId('7'), 10);
  assert.equal(tok.idToToken(10), '7');
  assert.equal(tok.idToToken(999), undefined);
  const custom = new CharTokenizer('ab', { eosText: '$' });
  assert.equal(custom.decode([0, CHAR_EOS_ID]), '<pad>$');
});

test('unknown characters: the error names the character, its code point and its position', () => {
  const tok = new CharTokenizer(ALPHABET);
  assert.throws(() => tok.encode('12+x'), /character "x" \(U\+0078\) at position 3 .*not in the alphabet/);
  assert.throws(() => tok.encode('𝑥π√'), /character "√" \(U\+221A\) at position 2/, 'positions count characters, not UTF-16 units');
});

test('bad alphabets and bad ids are refused with a clear error', () => {
  assert.throws(() => new CharTokenizer(''), /alphabet is empty/);
  assert.throws(() => new CharTokenizer('abca'), /repeats "a" \(U\+0061\) at positions 0 and 3/);
  const tok = new CharTokenizer('ab');
  assert.throws(() => tok.decode([3, 5]), /ids\[1\] is 5, outside the vocabulary \[0, 5\)/);
});
