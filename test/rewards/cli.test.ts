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
const dir = mkdtempSync(join(tmpdir(), 'rlvr-reward-'));
function jsonl(name: string, rows: unknown[]): string {
  const p = join(dir, name);
  writeFileSync(p, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return p;
}
const parse = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('rlvr reward math: adds reward to each line, keeps the other fields; summary on stderr', async () => {
  const f = jsonl('math.jsonl', [
    { id: 'a', completion: 'so \\boxed{5}', label: '5' },
    { id: 'b', response: 'so \\boxed{6}', gold: '5' },
    { id: 'c', response: 'so \\boxed{6}', label: true, gold: '6' }, // a boolean label falls back to gold
  ]);
  const r = await rlvr('reward', '--reward', 'math', f);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(parse(r.out).map((x) => [x.id, x.reward]), [['a', 1], ['b', 0], ['c', 1]]);
  assert.equal(parse(r.out)[2].label, true, 'fields are written back unchanged');
  assert.match(r.err, /math \(strict\): 3 lines in 3 groups, mean reward 0.6667/);
});

test('rlvr reward ttt groups lines by prompt (or group) and votes within each group', async () => {
  const f = jsonl('ttt.jsonl', [
    { prompt: 'P', completion: '\\boxed{2}', label: '' },
    { prompt: 'Q', completion: '\\boxed{9}', label: '' },
    { prompt: 'P', completion: '\\boxed{3}', label: '' },
    { prompt: 'P', completion: '\\boxed{3}', label: '' },
    { prompt: 'Q', completion: '\\boxed{8}', label: '' },
    { group: 7, completion: '\\boxed{1}', label: '' },
  ]);
  const r = await rlvr('reward', '--reward', 'ttt', '--mode', 'authors', f);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(parse(r.out).map((x) => x.reward), [0, 1, 1, 1, 0, 1]);
  assert.match(r.err, /6 lines in 3 groups/);
});

test('rlvr reward random0.5: the seed decides, and --out writes the file', async () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ prompt: `p${i % 10}`, completion: 'x', label: '' }));
  const f = jsonl('random.jsonl', rows);
  const a = await rlvr('reward', '--reward', 'random0.5', '--seed', '3', f);
  const b = await rlvr('reward', '--reward', 'random0.5', '--seed', '3', f);
  const c = await rlvr('reward', '--reward', 'random0.5', '--seed', '4', f);
  assert.equal(a.out, b.out);
  assert.notEqual(a.out, c.out);
  const out = join(dir, 'scored.jsonl');
  const d = await rlvr('reward', '--reward', 'random0.5', '--seed', '3', '--out', out, f);
  assert.equal(d.code, 0);
  assert.equal(readFileSync(out, 'utf8'), a.out);
  assert.match(d.out, /wrote .*scored\.jsonl/);
});

test('rlvr reward: errors name the file, line and field, or the option', async () => {
  const bad = jsonl('bad.jsonl', [{ completion: 'x', label: '1' }, { label: '1' }]);
  const r1 = await rlvr('reward', '--reward', 'math', bad);
  assert.equal(r1.code, 1);
  assert.match(r1.err, /bad\.jsonl line 2 field "response": missing; each line needs "completion" or "response"/);
  const noLabel = jsonl('nolabel.jsonl', [{ completion: 'x' }]);
  assert.match((await rlvr('reward', '--reward', 'math', noLabel)).err, /nolabel\.jsonl line 1 field "label": missing/);
  const mixed = jsonl('mixed.jsonl', [{ group: 1, completion: 'x', label: '1' }, { group: 1, completion: 'y', label: '2' }]);
  assert.match((await rlvr('reward', '--reward', 'math', mixed)).err, /mixed\.jsonl line 2 field "label": lines of one group must share a label/);
  const unknown = await rlvr('reward', '--reward', 'maths', bad);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--reward: reward "maths" is not registered \(did you mean "math"\?\); known: .*box_only_format/);
  assert.equal((await rlvr('reward', bad)).code, 2, '--reward is required');
  assert.match((await rlvr('reward', '--reward', 'math', '--mode', 'loose', bad)).err, /--mode must be strict or authors/);
  assert.match((await rlvr('reward', '--reward', 'math', '--seed', '1.5', bad)).err, /--seed must be an integer/);
  assert.match((await rlvr('reward', '--reward', 'math', '--deadline-ms', '0', bad)).err, /--deadline-ms must be a positive number/);
  assert.match((await rlvr('reward', '--reward', 'math', join(dir, 'absent.jsonl'))).err, /absent\.jsonl: cannot read file/);
  assert.match((await rlvr('reward', '--help')).out, /usage: rlvr reward --reward NAME FILE\.jsonl/);
});
