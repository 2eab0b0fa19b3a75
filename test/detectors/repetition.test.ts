import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasRepetition, findRepetition, AUTHORS_REPETITION, type RepetitionOptions } from '../../lib/detectors';
import { createRng, type Rng } from '../../lib/util';

// The authors' definition, literally (spec §3.9): lengths upward, starts from the left, count
// back-to-back copies, first hit wins. Python indexes code points, hence Array.from.
function naiveRepetition(text: string, opts: Required<RepetitionOptions>): { patternLength: number; start: number } | null {
  const cps = Array.from(text);
  const n = cps.length;
  for (let L = opts.minLength; L <= Math.min(opts.maxLength, Math.floor(n / 2)); L++) {
    for (let s = 0; s <= n - opts.minRepeats * L; s++) {
      const pattern = cps.slice(s, s + L).join('');
      let count = 0;
      for (let j = s; j + L <= n && cps.slice(j, j + L).join('') === pattern; j += L) count++;
      if (count >= opts.minRepeats) return { patternLength: L, start: s };
    }
  }
  return null;
}

// Random text over a small alphabet, sometimes with an injected run of repeats near the threshold.
function randomText(rng: Rng, alphabet: readonly string[], maxLen: number, opts: Required<RepetitionOptions>, maxUnit: number): string {
  const pieces: string[] = [];
  const target = rng.int(maxLen + 1);
  let len = 0;
  while (len < target) {
    if (rng.next() < 0.2) {
      const L = opts.minLength - 1 + rng.int(Math.min(opts.maxLength + 1, maxUnit) - opts.minLength + 2); // one below to one above the range
      const unit = Array.from({ length: L }, () => alphabet[rng.int(alphabet.length)]);
      const copies = opts.minRepeats - 1 + rng.int(3); // just below, at or above the threshold
      const extra = unit.slice(0, rng.int(L));
      for (let c = 0; c < copies; c++) pieces.push(...unit);
      pieces.push(...extra);
      len += copies * L + extra.length;
    } else {
      pieces.push(alphabet[rng.int(alphabet.length)]);
      len++;
    }
  }
  return pieces.join('');
}

function propertyCheck(seed: number, cases: number, alphabet: readonly string[], maxLen: number, opts: Required<RepetitionOptions>, maxUnit = Infinity) {
  const rng = createRng(seed);
  let hits = 0;
  for (let i = 0; i < cases; i++) {
    const text = randomText(rng, alphabet, maxLen, opts, maxUnit);
    const want = naiveRepetition(text, opts);
    const got = findRepetition(text, opts);
    assert.deepEqual(got && { patternLength: got.patternLength, start: got.start }, want, `case ${i}: ${JSON.stringify(text)}`);
    assert.equal(hasRepetition(text, opts), want !== null);
    if (want) hits++;
  }
  return hits;
}

test('matches the naive definition on small random strings (small parameters, alphabets of 1-3)', () => {
  const opts = { minLength: 2, maxLength: 6, minRepeats: 3 };
  for (const [seed, alphabet] of [[1, ['a']], [2, ['a', 'b']], [3, ['a', 'b', 'c']]] as const) {
    const hits = propertyCheck(seed, 400, alphabet, 40, opts);
    assert.ok(hits > 40 && hits < 400, `alphabet ${alphabet.join('')}: ${hits} hits of 400 — both outcomes must be exercised`);
  }
});

test('matches the naive definition with the authors\' parameters (10..256, 10 repeats)', () => {
  // Injected units stay short (9..14) so the literal reference stays fast.
  const hits = propertyCheck(7, 150, ['a', 'b'], 300, { ...AUTHORS_REPETITION }, 14);
  assert.ok(hits > 10 && hits < 140, `${hits} hits of 150`);
});

test('matches the naive definition on astral code points (positions are code points, as in Python)', () => {
  const hits = propertyCheck(11, 200, ['😀', 'x'], 40, { minLength: 2, maxLength: 5, minRepeats: 3 });
  assert.ok(hits > 10, `${hits} hits`);
});

test('authors parameters: boundary cases', () => {
  const unit = 'abcdefghij'; // L = 10
  assert.equal(hasRepetition(unit.repeat(10)), true, 'exactly 10 copies, ending at the end of the text');
  assert.equal(hasRepetition(unit.repeat(9) + 'abcdefghi'), false, '9 copies and a partial one');
  assert.equal(hasRepetition('x' + unit.repeat(9) + 'y' + unit), false, 'copies interrupted');
  assert.equal(hasRepetition('abcdefghi'.repeat(30)), true, 'L = 9 is too short but L = 18 repeats 15 times');
  assert.equal(hasRepetition('abcdefghi'.repeat(19)), false, 'L = 18 gives only 9.5 copies');
  const long = Array.from({ length: 257 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');
  assert.equal(hasRepetition(long.repeat(12)), false, 'a 257-character pattern is longer than the authors try');
  const ok256 = long.slice(0, 256);
  assert.deepEqual(findRepetition('intro ' + ok256.repeat(10)), { patternLength: 256, start: 6, repeats: 10 });
  assert.equal(hasRepetition(''), false);
  assert.equal(hasRepetition('a'.repeat(99)), false, 'L >= 10 needs at least 100 characters');
  assert.equal(hasRepetition('a'.repeat(100)), true);
});

test('first hit is the smallest pattern length, then the leftmost start', () => {
  const text = 'zz' + 'q'.repeat(5) + 'abcdefghijkl'.repeat(11) + '0123456789'.repeat(10);
  assert.deepEqual(findRepetition(text), { patternLength: 10, start: 2 + 5 + 132, repeats: 10 });
});

test('bad options are refused with the option name', () => {
  assert.throws(() => hasRepetition('abc', { minRepeats: 1 }), /minRepeats/);
  assert.throws(() => hasRepetition('abc', { minLength: 0 }), /minLength/);
});
