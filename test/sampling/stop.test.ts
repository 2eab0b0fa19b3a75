// StopMatcher with a byte-level BPE tokenizer: stop strings spanning several tokens, found
// through a window of recent tokens, at the first token that completes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadTokenizer } from '../../lib/tokenizers';
import { StopMatcher } from '../../lib/sampling';

const tok = loadTokenizer(join(process.cwd(), '..', 'shared', 'fixtures', 'hf-tiny', 'tokenizer-bpe'));
const decode = (ids: readonly number[]): string => tok.decode(ids);

/** Feeds the completion token by token, as generate does; returns the step (token count) of the first match. */
function firstMatch(m: StopMatcher, ids: number[]): { steps: number; text: string; stopString: string } | null {
  for (let n = 1; n <= ids.length; n++) {
    const hit = m.check(ids.slice(0, n));
    if (hit !== null) return { steps: n, ...hit };
  }
  return null;
}

test('a multi-token stop string after a long completion is caught at the token that completes it', () => {
  const before = 'We compute 12 times 7 step by step, carrying the digits. '.repeat(12) + '<answer>84';
  const ids = tok.encode(before + '</answer> trailing words');
  const m = new StopMatcher(['</answer>'], decode, true);
  const hit = firstMatch(m, ids);
  assert.ok(hit !== null);
  assert.ok(decode(ids.slice(0, hit.steps)).includes('</answer>'));
  assert.ok(!decode(ids.slice(0, hit.steps - 1)).includes('</answer>'), 'not one token later than needed');
  assert.equal(hit.text, before + '</answer>');
  assert.equal(hit.stopString, '</answer>');
  const dropped = firstMatch(new StopMatcher(['</answer>'], decode, false), ids);
  assert.equal(dropped?.text, before);
});

test('several stop strings: the earliest in the text wins; text without one never matches', () => {
  const ids = tok.encode('x = 3\n\nso the result: 3. Done');
  const hit = firstMatch(new StopMatcher(['Done', '\n\n'], decode, false), ids);
  assert.equal(hit?.stopString, '\n\n');
  assert.equal(hit?.text, 'x = 3');
  assert.equal(firstMatch(new StopMatcher(['</answer>'], decode, false), tok.encode('no stop here at all')), null);
});

test('multi-byte characters split across tokens still match (é, π)', () => {
  const ids = tok.encode('café — π ≈ 3.14159 then more');
  const hit = firstMatch(new StopMatcher(['π ≈'], decode, false), ids);
  assert.equal(hit?.text, 'café — ');
});
