import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonShapeGuard } from '../../lib/reward-service';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What the guard measures, from the parsed value: nesting depth, and containers plus commas. */
function shape(v: Json): { depth: number; values: number } {
  if (v === null || typeof v !== 'object') return { depth: 0, values: 0 };
  const children = Array.isArray(v) ? v : Object.values(v);
  const inner = children.map(shape);
  return { depth: 1 + Math.max(0, ...inner.map((s) => s.depth)), values: 1 + Math.max(0, children.length - 1) + inner.reduce((a, s) => a + s.values, 0) };
}

function feed(limits: { maxDepth: number; maxValues: number }, bytes: Buffer, cuts: number[]): string | undefined {
  const guard = new JsonShapeGuard(limits);
  let at = 0;
  let out: string | undefined;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    out = guard.push(bytes.subarray(at, Math.max(at, cut))) ?? out;
    at = Math.max(at, cut);
  }
  return out;
}

test('the guard measures depth and element count exactly, however the body is cut into chunks (escapes, quotes, UTF-8 included)', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (value, cuts) => {
    const v = value as Json;
    const bytes = Buffer.from(JSON.stringify(v), 'utf8');
    const { depth, values } = shape(v);
    assert.equal(feed({ maxDepth: depth, maxValues: values }, bytes, cuts), undefined);
    if (depth > 0) assert.match(feed({ maxDepth: depth - 1, maxValues: values }, bytes, cuts) ?? '', /nests deeper than/);
    if (values > 0) assert.match(feed({ maxDepth: depth, maxValues: values - 1 }, bytes, cuts) ?? '', /more than \d+ array elements/);
  }), { numRuns: 400 });
});

test('brackets, quotes and backslashes inside strings are not structure, even split across chunks', () => {
  const text = JSON.stringify({ query: ['[[[{{{', 'a "quoted" \\[ word\\', '\\\\"]]]'], labels: ['\\'] });
  const bytes = Buffer.from(text);
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.equal(feed({ maxDepth: 2, maxValues: 6 }, bytes, [cut]), undefined, `cut at ${cut}`);
  }
});

test('10 MB of nested arrays is refused within the first kilobyte', () => {
  const guard = new JsonShapeGuard({ maxDepth: 64, maxValues: 262_144 });
  assert.equal(guard.push(Buffer.from('['.repeat(64))), undefined);
  assert.match(guard.push(Buffer.from('[')) ?? '', /nests deeper than 64 levels \(the protocol needs 3\)/);
  assert.match(guard.push(Buffer.from(']')) ?? '', /nests deeper/, 'the failure sticks');
});
