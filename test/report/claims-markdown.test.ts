import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { claimsBlockOf, claimsMarkdown, gateMarkdown, readmeResultsBlock, readReportInput, replaceClaimsBlock, README_CLAIMS_BEGIN, README_CLAIMS_END } from '../../lib/report';
import { findProjectRoot } from '../../lib/data';
import { writeFixtureResults } from './fixture';

const fx = writeFixtureResults();

test('claimsMarkdown: one row per claim and family, in order, every effect with its interval and verdict symbol', () => {
  const md = claimsMarkdown(fx.claims);
  const rows = md.trim().split('\n').slice(2);
  const groups = [...new Set(fx.claims.map((c) => `${c.claim} ${c.family}`))];
  assert.deepEqual(rows.map((r) => r.split(' | ').slice(0, 2).join(' ').replace(/^\| /, '')), groups);
  const gt = fx.claims.find((c) => c.claim === 1 && c.family === 'good-code');
  assert.ok(gt?.effect);
  const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
  assert.ok(rows[0].includes(`ground-truth ${pp(gt.effect.mean)} [${pp(gt.effect.lo)}, ${pp(gt.effect.hi)}] ${gt.verdict === 'reproduced' ? '✓' : '?'}`), rows[0]);
  // Every bad-code/format run collapsed in the fixture: that effect has no runs and no data.
  const bad4 = rows.find((r) => r.startsWith('| 4 | bad-code'));
  assert.match(bad4 ?? '', /format no runs –/);
  assert.equal(rows.length, groups.length);
});

test('gateMarkdown: per family, each gate arm\'s collapsed runs with the interval of the rate and the 10% bound; the README block is the claim table, then it', () => {
  const md = gateMarkdown(fx.cells, ['good-code', 'bad-code', 'no-code']);
  const lines = md.split('\n');
  assert.equal(lines[0], '| robustness gate | ground-truth | random |');
  assert.equal(lines[2], '| good-code | 0/3 collapsed (0%, 95% 0-56%) ✓ | 0/3 collapsed (0%, 95% 0-56%) ✓ |');
  assert.equal(lines.filter((l) => l.startsWith('| ')).length, 5, 'header and three families');
  const broken = fx.cells.map((c) => (c.family === 'bad-code' && c.arm === 'ground-truth' && c.seed === 1 ? { ...c, collapsed: true, collapsedAt: 2 } : c));
  assert.match(gateMarkdown(broken, ['bad-code']), /\| bad-code \| 1\/3 collapsed \(33%, 95% 6-79%\) ✗ \| 0\/3 collapsed/);
  assert.equal(gateMarkdown(fx.cells, ['good-code-small']).split('\n').filter((l) => l.startsWith('| ')).length, 2, 'a family without runs has no row');
  assert.equal(readmeResultsBlock(fx.claims, fx.cells, ['good-code']), `${claimsMarkdown(fx.claims)}\n${gateMarkdown(fx.cells, ['good-code'])}`);
});

test('replaceClaimsBlock swaps only the marked block, and names the file when the markers are missing', () => {
  const text = `# t\n\n${README_CLAIMS_BEGIN}\nold\n${README_CLAIMS_END}\nafter\n`;
  const out = replaceClaimsBlock(text, '| new |\n', 'X.md');
  assert.equal(out, `# t\n\n${README_CLAIMS_BEGIN}\n| new |\n${README_CLAIMS_END}\nafter\n`);
  assert.equal(claimsBlockOf(out), '| new |\n');
  assert.throws(() => replaceClaimsBlock('# none\n', 'x', 'X.md'), /X\.md: no claim table markers/);
});

test("README's claim table is the one data/results/full/claims.json gives (rlvr report data/results/full --readme README.md)", () => {
  const root = findProjectRoot() ?? process.cwd();
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = claimsBlockOf(readme);
  assert.ok(block !== null, 'README.md has the claim table markers');
  const input = readReportInput(join(root, 'data', 'results', 'full'));
  assert.equal(block, readmeResultsBlock(input.claims, input.cells, input.spec.families),
    'README.md is stale: run `npm run rlvr -- report data/results/full --readme README.md`');
});
