import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../lib/cli/main';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (s: string) => { out += s; }, err: (s: string) => { err += s; } }, get out() { return out; }, get err() { return err; } };
}

test('rlvr --help lists every command', async () => {
  const c = capture();
  assert.equal(await main(['--help'], c.io), 0);
  for (const name of ['demo', 'grade', 'reward', 'detect', 'data']) assert.match(c.out, new RegExp(`\\n  ${name} `));
});

test('an unknown command exits 2 and suggests the closest one', async () => {
  const c = capture();
  assert.equal(await main(['grad'], c.io), 2);
  assert.match(c.err, /unknown command "grad" \(did you mean "grade"\?\)/);
});

test('an unknown option is a usage error with the command usage', async () => {
  const c = capture();
  assert.equal(await main(['demo', '--nope'], c.io), 2);
  assert.match(c.err, /rlvr demo: .*--nope/);
  assert.match(c.err, /usage: rlvr demo/);
});

test('rlvr demo grades every MATH-500 gold equal to itself in strict mode and summarises a labelled sample', async () => {
  const c = capture();
  assert.equal(await main(['demo', '--sample', '40', '--seed', '3'], c.io), 0, c.err);
  assert.match(c.out, /strict\s+500\/500/);
  assert.match(c.out, /40 of 614 items \(seed 3\)/);
  const all = c.out.split('\n').find((l) => l.startsWith('all '));
  assert.ok(all, c.out);
  assert.equal(all.trim().split(/\s+/)[1], '40');
});

test('rlvr demo with the same seed prints the same summary', async () => {
  const a = capture();
  const b = capture();
  await main(['demo', '--sample', '30', '--seed', '5'], a.io);
  await main(['demo', '--sample', '30', '--seed', '5'], b.io);
  const table = (s: string) => s.slice(s.indexOf('Labelled'));
  assert.equal(table(a.out), table(b.out));
});
