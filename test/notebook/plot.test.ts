import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeRenderer, findChromium, inNotebook, plot, plotBundle, PLOTLY_MIME, type PlotlyFigure } from '../../lib/notebook/index';
import { recordingSink } from './recording-sink';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const fig: PlotlyFigure = {
  data: [
    { type: 'bar', name: 'accuracy', x: ['ttrl', 'qwen'], y: [0.9, 0.75], error_y: { type: 'data', array: [0.02, 0.03] } },
    { type: 'scatter', name: 'line', x: [1, 2, 3], y: [3, 1, 2] },
  ],
  layout: { title: { text: 'Verifier <accuracy>' } },
};

after(() => closeRenderer());

test('the bundle carries the figure itself as plotly JSON and a one-line text summary', async () => {
  const b = await plotBundle(fig, { png: false });
  assert.deepEqual(b[PLOTLY_MIME], fig);
  assert.equal(b['text/plain'], 'Figure "Verifier <accuracy>": bar "accuracy" (2 points); scatter "line" (3 points)');
});

test('with chromium the bundle has a PNG image and no HTML', async () => {
  assert.ok(findChromium(), 'this test needs chromium (apt-get install chromium, or set CHROMIUM_PATH)');
  const b = await plotBundle(fig, { width: 400, height: 300 });
  const png = Buffer.from(b['image/png'] as string, 'base64');
  assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
  assert.equal(png.readUInt32BE(16), 400); // IHDR width at scale 1
  assert.equal(png.readUInt32BE(20), 300);
  assert.equal(b['text/html'], undefined);
});

test('with PNG turned off the bundle has a script-free HTML table of every trace', async () => {
  const b = await plotBundle(fig, { png: false });
  assert.equal(b['image/png'], undefined);
  const html = b['text/html'] as string;
  assert.ok(!/<script/i.test(html));
  assert.match(html, /Verifier &lt;accuracy&gt;/);
  assert.match(html, /<caption>bar: accuracy<\/caption><thead><tr><th>x<\/th><th>y<\/th><th>\+err<\/th><\/tr>/);
  assert.match(html, /<td>qwen<\/td><td>0\.7500<\/td><td>0\.03000<\/td>/);
  assert.match(html, /<caption>scatter: line<\/caption>/);
});

test('CHROMIUM_PATH=none turns PNG rendering off; a missing path is not used', () => {
  assert.equal(findChromium({ CHROMIUM_PATH: 'none', PATH: process.env.PATH }), null);
  assert.equal(findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' }), null);
});

test('typed arrays are stored as plain arrays, and a figure without data is refused', async () => {
  const b = await plotBundle({ data: [{ type: 'scatter', y: new Float64Array([1, 2]) as unknown as number[] }] }, { png: false });
  assert.deepEqual((b[PLOTLY_MIME] as PlotlyFigure).data[0].y, [1, 2]);
  await assert.rejects(plotBundle({} as PlotlyFigure), /figure\.data must be an array/);
});

test('outside a notebook plot() shows nothing, and writes a .png or .json file when asked', async () => {
  assert.equal(inNotebook(), false);
  const sink = recordingSink('terminal');
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-plot-'));
  try {
    await plot(fig, { sink });
    assert.equal(sink.shown.length, 0);
    await plot(fig, { sink, file: join(dir, 'f.json') });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8')), fig);
    await plot(fig, { sink, file: join(dir, 'f.png'), width: 300, height: 200 });
    assert.deepEqual([...readFileSync(join(dir, 'f.png')).subarray(0, 8)], PNG_SIGNATURE);
    await assert.rejects(plot(fig, { sink, file: join(dir, 'f.svg') }), /use a \.png or \.json file name/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in a notebook sink plot() shows one bundle', async () => {
  const sink = recordingSink('notebook');
  await plot(fig, { sink, png: false });
  assert.equal(sink.shown.length, 1);
  assert.deepEqual(sink.shown[0].bundle[PLOTLY_MIME], fig);
});
