import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../lib/cli/main';
import { capture } from './capture';

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

test('rlvr demo grades all 614 labelled items by default: the README headline, false positives and negatives spelled out, speeds with units', async () => {
  const c = capture();
  assert.equal(await main(['demo'], c.io), 0, c.err);
  assert.match(c.out, /strict\s+500\/500\s+[\d,]+ answers\/s\s+\d+\.\d{3} ms/);
  assert.match(c.out, /Labelled verifier corpus: all 614 items\n/);
  const all = c.out.split('\n').find((l) => l.startsWith('all '));
  assert.deepEqual(all?.trim().split(/\s+/), ['all', '614', '99.7%', '1', '1', '90.7%', '8', '49', '90.7%', '8', '49']);
  assert.match(c.out, /kind\s+n\s+strict\s+false pos\.\s+false neg\.\s+authors/);
  assert.match(c.out, /false positive: graded correct but labelled wrong/);
  assert.match(c.out, /speed: strict [\d,]+ items\/s \(\d+\.\d{3} ms per item\); authors [\d,]+ items\/s/);
  assert.match(c.out, /\nstrict: 612 of 614 right \(99\.7%\), 1 false positive, 1 false negative\nauthors: 557 of 614 right \(90\.7%\), 8 false positives, 49 false negatives\n/);
});

test('rlvr demo --sample N grades a seeded sample, the same for the same seed', async () => {
  const a = capture();
  const b = capture();
  assert.equal(await main(['demo', '--sample', '30', '--seed', '5'], a.io), 0, a.err);
  await main(['demo', '--sample', '30', '--seed', '5'], b.io);
  assert.match(a.out, /30 of 614 items, a seeded sample \(seed 5\)/);
  const all = a.out.split('\n').find((l) => l.startsWith('all '));
  assert.equal(all?.trim().split(/\s+/)[1], '30');
  const table = (s: string) => s.slice(s.indexOf('Labelled'), s.indexOf('speed:'));
  assert.equal(table(a.out), table(b.out));
});
