// `rlvr report DIR`: writes the report of a results folder and says what it holds; errors name the file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { writeFixtureResults } from '../report/fixture';
import { capture } from './capture';

const fx = writeFixtureResults();
const other = mkdtempSync(join(tmpdir(), 'rlvr-report-out-'));
after(() => [fx.dir, other].forEach((d) => rmSync(d, { recursive: true, force: true })));

test('rlvr report DIR writes DIR/report.html and prints its size, claim rows by verdict and figures', async () => {
  const c = capture();
  assert.equal(await main(['report', fx.dir], c.io), 0, c.err);
  const file = join(fx.dir, 'report.html');
  assert.ok(existsSync(file));
  const mb = (readFileSync(file).length / 1e6).toFixed(1);
  const verdicts = ['reproduced', 'not reproduced', 'inconclusive', 'no data'].map((v) => `${fx.claims.filter((r) => r.verdict === v).length} ${v}`).join(', ');
  assert.equal(c.out, `wrote ${file} (${mb} MB; ${fx.claims.length} claim rows: ${verdicts}; 9 figures)\n`);
});

test('rlvr report --out FILE writes there; a folder without results is an error naming the file; no folder is a usage error', async () => {
  const c = capture();
  const out = join(other, 'r.html');
  assert.equal(await main(['report', fx.dir, '--out', out], c.io), 0, c.err);
  assert.ok(readFileSync(out, 'utf8').startsWith('<!doctype html>'));
  const bad = capture();
  assert.equal(await main(['report', other], bad.io), 1);
  assert.match(bad.err, new RegExp(`rlvr report: ${other}: no grid results \\(grid\\.json missing\\)`));
  const none = capture();
  assert.equal(await main(['report'], none.io), 2);
  assert.match(none.err, /give the results folder: rlvr report DIR\nusage: rlvr report DIR/);
});
