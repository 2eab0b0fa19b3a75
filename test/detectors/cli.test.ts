import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';

async function rlvr(...argv: string[]) {
  let out = '', err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}
const dir = mkdtempSync(join(tmpdir(), 'rlvr-detect-'));
const file = join(dir, 'responses.jsonl');
writeFileSync(file, [
  { id: 1, kind: 'real-response', response: '```python\nprint(2+2)\n```\n```output\n4\n```\n\\boxed{4}' },
  { id: 2, kind: 'real-response', response: 'By hand, not with Python: \\boxed{4}' },
  { id: 3, kind: 'real-response', response: 'x ' + 'abcdefghij'.repeat(12) },
  { id: 4, kind: 'real-pred', pred: '4' },
].map((r) => JSON.stringify(r)).join('\n') + '\n');

test('rlvr detect adds every detector\'s output per line and summarises', async () => {
  const r = await rlvr('detect', file, '--where', 'kind=real-response');
  assert.equal(r.code, 0, r.err);
  const rows = r.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => x.id), [1, 2, 3]);
  assert.equal(rows[0].detect.code_reasoning.label, 'code_block');
  assert.equal(rows[0].detect.code_reasoning.details.imaginedOutput, true);
  assert.equal(rows[1].detect.mentions_python.hit, true);
  assert.equal(rows[1].detect.code_reasoning.hit, false);
  assert.equal(rows[2].detect.repetition.hit, true);
  assert.match(r.err, /^3 texts/);
  assert.match(r.err, /mentions_python: 2 hits \(66\.7%\)/);
  assert.match(r.err, /strategies: code_block 1, natural_language 2/);
  assert.match(r.err, /agreement mentions_python vs code_reasoning: 2\/3 \(66\.7%\); paper only 1, classifier only 0/);
});

test('rlvr detect --detector, --field, --summary-only, --out', async () => {
  const s = await rlvr('detect', file, '--detector', 'repetition', '--where', 'kind=real-response', '--summary-only');
  assert.equal(s.out, '3 texts\n  repetition: 1 hits (33.3%)\n');
  const out = join(dir, 'out.jsonl');
  const p = await rlvr('detect', file, '--field', 'pred', '--where', 'kind=real-pred', '--detector', 'mentions_python', '--out', out);
  assert.equal(p.code, 0, p.err);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).detect, { mentions_python: { hit: false, label: 'language', details: {} } });
});

test('rlvr detect: a missing field names file and line; unknown detectors list the known ones', async () => {
  const r = await rlvr('detect', file);
  assert.equal(r.code, 1);
  assert.match(r.err, /responses\.jsonl line 4 field "response": missing \(choose the text field with --field\)/);
  const u = await rlvr('detect', file, '--detector', 'python');
  assert.equal(u.code, 2);
  assert.match(u.err, /detector "python" is not registered.*known: code_reasoning, mentions_python, python_fence, repetition/);
  assert.equal((await rlvr('detect', file, '--where', 'kind')).code, 2);
});
