// `rlvr grade` end to end through the dispatcher, on small temporary files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; } }, out: () => out, err: () => err };
}

function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-grade-'));
  return f(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const LINES = [
  { pred: '\\frac{1}{2}', gold: '0.5', label: true, kind: 'pred' },
  { response: 'so the answer is $\\boxed{3}$.', gold: '4', label: false, kind: 'response' },
  { response: 'We add them and the total is 42', gold: '42', label: false, kind: 'response' },
];

test('grades every line, adds correct and extracted, and prints a per-kind summary to stderr', () =>
  withDir(async (dir) => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, LINES.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const c = capture();
    assert.equal(await main(['grade', file], c.io), 0);
    const out = c.out().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => [o.correct, o.extracted]), [[true, '\\frac{1}{2}'], [false, '3'], [false, null]]);
    assert.equal(out[0].kind, 'pred', 'input fields are kept');
    assert.match(c.err(), /3 of 3 lines labelled/);
    assert.match(c.err(), /all\s+3\s+100\.0%\s+0\s+0/);
  }));

test('--out writes the file; --mode authors grades with the paper\'s reward', () =>
  withDir(async (dir) => {
    const file = join(dir, 'in.jsonl');
    const outFile = join(dir, 'out.jsonl');
    writeFileSync(file, LINES.map((l) => JSON.stringify(l)).join('\n'));
    const c = capture();
    assert.equal(await main(['grade', file, '--mode', 'authors', '--out', outFile, '--deadline-ms', '10000'], c.io), 0);
    assert.equal(c.out(), '');
    const out = readFileSync(outFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(out.length, 3);
    assert.equal(out[2].correct, true, 'the authors\' last-number fallback accepts "the total is 42"');
    assert.match(c.err(), /rlvr grade \(authors\)/);
  }));

test('errors name the file and the line', () =>
  withDir(async (dir) => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"pred": "1", "gold": "1"}\n{"pred": 1\n');
    let c = capture();
    assert.equal(await main(['grade', bad], c.io), 1);
    assert.match(c.err(), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2: invalid JSON`));

    const noGold = join(dir, 'nogold.jsonl');
    writeFileSync(noGold, '{"pred": "1", "gold": "1"}\n\n{"response": "x"}\n');
    c = capture();
    assert.equal(await main(['grade', noGold], c.io), 1);
    assert.match(c.err(), /nogold\.jsonl line 3 field "gold": missing/);

    c = capture();
    assert.equal(await main(['grade', join(dir, 'absent.jsonl')], c.io), 1);
    assert.match(c.err(), /absent\.jsonl: cannot read file/);

    c = capture();
    assert.equal(await main(['grade', bad, '--mode', 'lenient'], c.io), 2);
    assert.match(c.err(), /--mode must be strict or authors/);
  }));
