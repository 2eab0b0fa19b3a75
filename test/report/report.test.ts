// The HTML report of a grid results folder: one claim-table row per claim row, plotly inlined once,
// one figure per family × metric (× panel) plus the claim effects, bands over seeds without the
// collapsed runs, and input errors that name the file and field.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tInterval } from '../../lib/eval';
import { RESULT_FILES } from '../../lib/grid';
import {
  buildReport, claimEffectsFigure, formatEffect, readReportInput, reportFigures, trajectoryFigures, type PlotlyFigure,
} from '../../lib/report';
import { writeFixtureResults } from './fixture';

const fx = writeFixtureResults();
after(() => rmSync(fx.dir, { recursive: true, force: true }));
const built = buildReport(fx.dir);
const html = readFileSync(built.file, 'utf8');

const cellsOf = (row: string): string[] => [...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

test('the claim table has one row per claim row, in order: paper, effect with interval, collapses, verdict', () => {
  const table = html.slice(html.indexOf('<table class="claims">'), html.indexOf('</table>', html.indexOf('<table class="claims">')));
  const rows = [...table.matchAll(/<tr class="verdict-[\w-]+">([\s\S]*?)<\/tr>/g)].map((m) => cellsOf(m[1]).map(unescape));
  assert.equal(rows.length, fx.claims.length);
  assert.ok(fx.claims.length >= 15, `the fixture makes claims 1-6 (${fx.claims.length} rows)`);
  rows.forEach((cells, i) => {
    const c = fx.claims[i];
    assert.equal(cells[1], String(c.claim));
    assert.equal(cells[2], c.family);
    assert.equal(cells[5], c.paper);
    assert.equal(cells[6], formatEffect(c.effect));
    assert.equal(cells[9], c.verdict);
  });
  const incorrect = fx.claims.findIndex((c) => c.family === 'bad-code' && c.comparison === 'incorrect vs start');
  assert.equal(rows[incorrect][8], 'incorrect 1/3', 'collapsed / runs of the arm');
  assert.equal(built.claims, fx.claims.length);
  assert.deepEqual(built.verdicts.map((v) => v.rows).reduce((a, b) => a + b, 0), fx.claims.length);
});

test('formatEffect: percentage points with the interval and n; one run has no interval; none says so', () => {
  // mean 0.12, sd 0.02: half-width t(0.975, 2) · 0.02 / √3 = 0.0497
  assert.equal(formatEffect(tInterval([0.1, 0.12, 0.14])), '+12.0 pp [+7.0, +17.0], n = 3');
  assert.equal(formatEffect(tInterval([-0.1, -0.12, -0.14])), '-12.0 pp [-17.0, -7.0], n = 3');
  assert.equal(formatEffect(tInterval([-0.03])), '-3.0 pp, n = 1 (no interval)');
  assert.equal(formatEffect(null), 'no runs');
  const noData = fx.claims.find((c) => c.family === 'bad-code' && c.comparison === 'format vs start');
  assert.equal(noData?.verdict, 'no data', 'every bad-code/format run collapsed');
  assert.ok(html.includes(`<td>${formatEffect(null)}</td>`));
});

test('plotly.js is inlined once; every figure is JSON in its own element, drawn by one loop', () => {
  assert.equal(html.split('* plotly.js v').length - 1, 1);
  assert.equal(html.split('Plotly.newPlot(').length - 1, 1);
  const figures = reportFigures(readReportInput(fx.dir));
  // Claim effects, then per family and metric the rewards (and for good-code the random-reward variants).
  assert.equal(figures.length, 1 + 2 * 2 + 2 + 2);
  assert.equal(built.figures, figures.length);
  const divs = [...html.matchAll(/<div class="plot" data-figure="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(divs, figures.map((_, i) => i));
  figures.forEach((f, i) => {
    const m = html.match(new RegExp(`<script type="application/json" id="figure-data-${i}">([\\s\\S]*?)</script>`));
    assert.ok(m, `figure ${i} has its data`);
    assert.deepEqual(JSON.parse(m[1]) as PlotlyFigure, JSON.parse(JSON.stringify(f.figure)));
    assert.ok(html.includes(f.caption.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')), `figure ${i} has its caption`);
  });
  assert.match(html, /<h2>Configuration<\/h2>/);
  assert.ok(html.includes('<td>SGD learning rate per family</td><td>good-code 0.05, bad-code 0.05, no-code 0.05</td>'));
});

test('trajectory figures: the mean over seeds per arm, collapsed runs left out and named in the caption', () => {
  const input = readReportInput(fx.dir);
  const figs = trajectoryFigures(input.spec, input.cells, input.trajectories);
  const bad = figs.find((f) => f.id === 'bad-code-pCode-rewards');
  assert.ok(bad);
  const names = bad.figure.data.filter((t) => t.showlegend !== false).map((t) => t.name);
  assert.deepEqual(names, ['ground-truth (3 seeds)', 'random (3 seeds)', 'incorrect (2 seeds)', 'format-no-python (3 seeds)'], 'format: all collapsed; incorrect: s2 collapsed');
  assert.match(bad.caption, /Collapsed runs left out: format 3, incorrect 1\./);
  const gt = bad.figure.data.find((t) => t.name === 'ground-truth (3 seeds)');
  const finals = fx.trajectories.filter((r) => r.family === 'bad-code' && r.arm === 'ground-truth' && r.batches === 4).map((r) => r.pCode);
  const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
  assert.ok(Math.abs((gt?.y as number[])[4] - mean) < 1e-12);
  assert.match(bad.caption, new RegExp(`ground-truth ${mean.toFixed(3)} \\[${tInterval(finals).lo.toFixed(3)}, ${tInterval(finals).hi.toFixed(3)}\\]`));
  const variants = figs.find((f) => f.id === 'good-code-expectedAccuracy-random-reward-variants');
  assert.deepEqual(variants?.figure.data.filter((t) => t.showlegend !== false).map((t) => t.name), ['random (3 seeds)', 'random-no-clip (3 seeds)', 'random-m1 (3 seeds)']);
  // Expected accuracy exists only at evaluation batches (0, 2, 4).
  assert.deepEqual(variants?.figure.data[2].x, [0, 2, 4]);
});

test('the claim effects figure draws every row with runs, in percentage points, and counts those it leaves out', () => {
  const f = claimEffectsFigure(fx.claims);
  const drawn = f.figure.data.reduce((k, t) => k + (t.x as number[]).length, 0);
  assert.equal(drawn, fx.claims.filter((c) => c.effect !== null).length);
  // bad-code/format collapsed on every seed: its own row and its pairing with format-no-python have no runs.
  assert.deepEqual(fx.claims.filter((c) => c.effect === null).map((c) => c.comparison), ['format vs start', 'format-no-python − format (paired)']);
  assert.match(f.caption, /2 rows without runs are not drawn\./);
  const six = f.figure.data.flatMap((t) => (t.y as string[]).map((y, i) => ({ y, x: (t.x as number[])[i] }))).find((p) => p.y.includes('claim 6'));
  assert.ok(six && Math.abs(six.x - 30) < 1e-9, 'claim 6 mean 0.3 drawn as +30 pp');
});

test('input errors name the file and the field', () => {
  const claimsFile = join(fx.dir, RESULT_FILES.claims);
  const good = readFileSync(claimsFile, 'utf8');
  try {
    const rows = JSON.parse(good) as Record<string, unknown>[];
    rows[2].verdict = 'maybe';
    writeFileSync(claimsFile, JSON.stringify(rows));
    assert.throws(() => readReportInput(fx.dir), (e: Error) => e.message.includes(`${claimsFile} field "[2].verdict": expected one of reproduced, not reproduced, inconclusive, no data, received "maybe"`));
    writeFileSync(claimsFile, '{"claim": 1}');
    assert.throws(() => readReportInput(fx.dir), /claims\.json: expected an array of claim rows/);
    rmSync(claimsFile);
    assert.throws(() => buildReport(fx.dir), /claims\.json: missing: the claims of the grid; run `rlvr grid collect`/);
  } finally {
    writeFileSync(claimsFile, good);
  }
  assert.throws(() => readReportInput(join(fx.dir, 'nope')), /grid\.json missing/);
});

test('an interval of one run, written by JSON with null bounds, is read back as infinite and shown without an interval', () => {
  const claimsFile = join(fx.dir, RESULT_FILES.claims);
  const good = readFileSync(claimsFile, 'utf8');
  try {
    const rows = JSON.parse(good) as Record<string, unknown>[];
    rows[0].effect = tInterval([0.02]);
    writeFileSync(claimsFile, JSON.stringify(rows));
    assert.match(readFileSync(claimsFile, 'utf8'), /"lo":null,"hi":null/);
    const e = readReportInput(fx.dir).claims[0].effect;
    assert.deepEqual([e?.n, e?.mean, e?.lo, e?.hi], [1, 0.02, -Infinity, Infinity]);
    assert.equal(formatEffect(e ?? null), '+2.0 pp, n = 1 (no interval)');
  } finally {
    writeFileSync(claimsFile, good);
  }
});
