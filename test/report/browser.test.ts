// The report opened in headless Chromium, offline: every figure must have rendered (plotly's .main-svg
// inside its div, with as many drawn traces as its data holds), the page must raise no error, and the
// claim table must show every claim row. Needs chromium (Debian: apt-get install chromium; .ci/run does).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from '../../lib/notebook';
import { buildReport, readReportInput, reportFigures } from '../../lib/report';
import { writeFixtureResults } from './fixture';

const fx = writeFixtureResults();
let browser: Browser | null = null;
after(async () => {
  await browser?.close();
  rmSync(fx.dir, { recursive: true, force: true });
});

interface Rendered {
  id: string;
  svgs: number;
  traces: number;
  height: number;
}

test('in headless Chromium every figure of the report renders, without page errors, next to a full claim table', async () => {
  const exe = findChromium();
  assert.ok(exe, 'no chromium found: apt-get install chromium (or set CHROMIUM_PATH)');
  const report = buildReport(fx.dir);
  const figures = reportFigures(readReportInput(fx.dir));
  browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Offline: the report must need nothing but itself.
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(report.file).href);
  await page.waitForFunction(`[...document.querySelectorAll('[data-figure]')].every((el) => el.querySelector('.main-svg'))`, undefined, { timeout: 30_000 });
  const rendered = (await page.evaluate(`[...document.querySelectorAll('[data-figure]')].map((el) => ({
    id: el.id, svgs: el.querySelectorAll('.main-svg').length, traces: (el._fullData || []).length, height: el.getBoundingClientRect().height,
  }))`)) as Rendered[];
  assert.equal(rendered.length, figures.length);
  rendered.forEach((r, i) => {
    assert.equal(r.id, `figure-${figures[i].id}`);
    assert.ok(r.svgs >= 1, `${r.id}: no .main-svg`);
    assert.equal(r.traces, figures[i].figure.data.length, `${r.id}: traces drawn`);
    assert.ok(r.traces > 0 && r.height > 200, `${r.id}: an empty or flat figure`);
  });
  const claimRows = await page.locator('table.claims tbody tr').count();
  assert.equal(claimRows, fx.claims.length);
  assert.deepEqual(errors, []);
});
