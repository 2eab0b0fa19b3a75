import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from } from 'arquero';
import { DataFrame } from 'danfojs-node';
import { showConfig, showTable, tableBundle, terminalSink } from '../../lib/notebook/index';
import { recordingSink } from './recording-sink';

const records = [
  { reward: 'format', score: 0.5 },
  { reward: 'random', score: 0.25 },
  { reward: 'a<b', score: 1 },
];

function bodyRows(html: string): number {
  return (html.match(/<tr>/g) ?? []).length - 1; // minus the header row
}

test('records become an HTML table with a caption that says how many rows were left out', () => {
  const b = tableBundle(records, { limit: 2, caption: 'Rewards' });
  const html = b['text/html'] as string;
  assert.match(html, /^<table><caption>Rewards \(first 2 of 3 rows\)<\/caption>/);
  assert.equal(bodyRows(html), 2);
  assert.match(html, /<th[^>]*>reward<\/th>/);
  assert.ok(!html.includes('a<b'), 'cell text is escaped');
  assert.match(b['text/plain'] as string, /\|reward\|score\|/);
});

test('an arquero table, records and a danfo-like frame with the same data render the same HTML', () => {
  const fromRecords = tableBundle(records)['text/html'];
  const fromArquero = tableBundle(from(records))['text/html'];
  const danfo = { columns: ['reward', 'score'], values: records.map((r) => [r.reward, r.score]) };
  const fromDanfoFrame = tableBundle(danfo)['text/html'];
  assert.equal(fromArquero, fromRecords);
  assert.equal(fromDanfoFrame, fromRecords);
  assert.equal(bodyRows(fromRecords as string), 3);
});

test('a real danfojs-node DataFrame renders like the same records', () => {
  const df = new DataFrame({ reward: records.map((r) => r.reward), score: records.map((r) => r.score) });
  assert.equal(tableBundle(df)['text/html'], tableBundle(records)['text/html']);
});

test('numbers are shown with at most maxdigits fractional digits', () => {
  const text = tableBundle([{ x: 1 / 3 }], { maxdigits: 2 })['text/plain'] as string;
  assert.match(text, /\|0\.33\|/);
});

test('showTable sends the bundle to the sink it is given; a terminal sink prints the markdown', () => {
  const sink = recordingSink();
  showTable(records, { sink });
  assert.equal(sink.shown.length, 1);
  assert.equal(sink.shown[0].bundle['text/html'], tableBundle(records)['text/html']);
  let printed = '';
  showTable(records, { sink: terminalSink({ write: (s: string) => (printed += s) }) });
  assert.match(printed, /\|format\|0\.50\|/);
});

test('showConfig shows one key/value row per field, objects as JSON', () => {
  let printed = '';
  showConfig({ preset: 'smoke', seeds: [1, 2], rate: 2 / 3 }, { sink: terminalSink({ write: (s: string) => (printed += s) }) });
  assert.match(printed, /\|preset\|smoke\|/);
  assert.match(printed, /\|seeds\|\[1,2\]\|/);
  assert.match(printed, /\|rate\|0\.6667\|/);
});

test('bad input is refused with a message saying what is accepted', () => {
  assert.throws(() => tableBundle(42 as unknown as []), /arquero table, an array of records or a danfo DataFrame/);
});

test('intervals in records show as rate [low, high] (k/n); other objects as JSON', () => {
  const text = tableBundle([
    { model: 'a', empty: { k: 3, n: 100, rate: 0.03, low: 0.0103, high: 0.0845 }, levels: { 1: 5 } },
    { model: 'b', empty: { k: 0, n: 0, rate: NaN, low: 0, high: 1 }, levels: {} },
  ])['text/plain'] as string;
  assert.match(text, /\|a\|3\.0% \[1\.0%, 8\.5%\] \(3\/100\)\|\{"1":5\}\|/);
  assert.match(text, /\|b\|– \(0\/0\)\|\{\}\|/);
});
