import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalBars, intervalLines, type PlotlyTrace } from '../../lib/report';

const rows = [
  { model: 'qwen', kind: 'empty', p: { rate: 0.1, low: 0.05, high: 0.2 } },
  { model: 'llama', kind: 'empty', p: { rate: 0.5, low: 0.4, high: 0.6 } },
  { model: 'qwen', kind: 'agree', p: { rate: 0.8, low: 0.7, high: 0.9 } },
  { model: 'llama', kind: 'agree', p: { rate: NaN, low: 0, high: 1 } },
];

test('intervalBars makes one bar trace per group with asymmetric error bars in percent', () => {
  const fig = intervalBars(rows, { x: (r) => r.model, value: (r) => r.p, group: (r) => r.kind, title: 'MV labels' });
  assert.equal(fig.data.length, 2);
  const [empty, agree] = fig.data as PlotlyTrace[];
  assert.equal(empty.name, 'empty');
  assert.deepEqual(empty.x, ['qwen', 'llama']);
  const close = (a: readonly unknown[] | undefined, b: number[]) =>
    assert.ok(a && a.every((v, i) => Math.abs((v as number) - b[i]) < 1e-9), `${JSON.stringify(a)} != ${JSON.stringify(b)}`);
  close(empty.y as number[], [10, 50]);
  close(empty.error_y?.array, [10, 10]);
  close(empty.error_y?.arrayminus, [5, 10]);
  assert.equal(empty.error_y?.symmetric, false);
  close((agree.y as number[]).slice(0, 1), [80]);
  assert.equal((agree.y as unknown[])[1], null); // NaN rate (n = 0) -> a gap, not a bar
  assert.deepEqual(fig.layout?.title, { text: 'MV labels' });
  assert.equal(fig.layout?.xaxis, undefined, 'no category-axis title unless asked');
  const titled = intervalBars(rows, { x: (r) => r.model, value: (r) => r.p, xTitle: 'labelling model' });
  assert.deepEqual(titled.layout?.xaxis, { title: { text: 'labelling model' } });
});

test('without a group there is one unnamed trace and no legend; percent: false keeps rates', () => {
  const fig = intervalBars(rows.slice(0, 2), { x: (r) => r.model, value: (r) => r.p, percent: false });
  assert.equal(fig.data.length, 1);
  assert.equal(fig.data[0].name, undefined);
  assert.deepEqual(fig.data[0].y, [0.1, 0.5]);
  assert.equal(fig.layout?.showlegend, false);
});

const points = [
  { arm: 'clip', step: 0, v: { mean: 0.65, lo: 0.65, hi: 0.65 }, w: { mean: 0, lo: 0, hi: 0 } },
  { arm: 'clip', step: 1, v: { mean: 0.7, lo: 0.6, hi: 0.75 }, w: { mean: 0.05, lo: 0.01, hi: 0.09 } },
  { arm: 'free', step: 0, v: { mean: 0.65, lo: 0.65, hi: 0.65 }, w: { mean: 0, lo: 0, hi: 0 } },
  { arm: 'free', step: 1, v: { mean: NaN, lo: 0.5, hi: 0.7 }, w: { mean: 0, lo: -0.1, hi: 0.1 } },
];
const close = (a: unknown, b: (number | null)[]) =>
  assert.ok(Array.isArray(a) && a.length === b.length && a.every((v, i) => (b[i] === null ? v === null : Math.abs((v as number) - (b[i] as number)) < 1e-12)),
    `${JSON.stringify(a)} != ${JSON.stringify(b)}`);

test('intervalLines (error bars): one trace per group, asymmetric bars from the interval, NaN means as gaps', () => {
  const fig = intervalLines(points, { x: (r) => r.step, value: (r) => r.v, group: (r) => r.arm, reference: [{ y: 0.65, label: 'prior' }], title: 'p' });
  assert.deepEqual(fig.data.map((t) => t.name), ['clip', 'free']);
  const [clip, free] = fig.data;
  assert.deepEqual(clip.x, [0, 1]);
  close(clip.y, [0.65, 0.7]);
  close(clip.error_y?.array, [0, 0.05]);
  close(clip.error_y?.arrayminus, [0, 0.1]);
  close(free.y, [0.65, null]);
  close(free.error_y?.array, [0, 0]);
  assert.equal(clip.mode, 'lines+markers', 'numeric x joins the points');
  const shapes = fig.layout?.shapes as { y0: number; y1: number; xref: string }[];
  assert.deepEqual(shapes.map((s) => [s.y0, s.y1, s.xref]), [[0.65, 0.65, 'paper']]);
  assert.equal((fig.layout?.annotations as { text: string }[])[0].text, 'prior');
  assert.notEqual((clip.line as { color: string }).color, (free.line as { color: string }).color);
});

test('intervalLines (band): per trace an upper edge, a lower edge filled to it, then the line, one colour', () => {
  const fig = intervalLines(points, { x: (r) => r.step, value: (r) => r.v, group: (r) => r.arm, style: 'band' });
  assert.equal(fig.data.length, 6);
  const [hi, lo, line] = fig.data;
  close(hi.y, [0.65, 0.75]);
  close(lo.y, [0.65, 0.6]);
  assert.equal(lo.fill, 'tonexty');
  assert.equal(hi.showlegend, false);
  assert.equal(lo.showlegend, false);
  assert.equal(line.name, 'clip');
  assert.equal(line.error_y, undefined);
  const colour = (line.line as { color: string }).color;
  assert.equal((hi.line as { color: string }).color, colour);
  assert.match(String(lo.fillcolor), /^rgba\(31, 119, 180, 0\.2\)$/); // plotly's first colour #1f77b4, translucent
});

test('intervalLines with several series on categories: markers only, grouped, named by series; errors without a value', () => {
  const rows = points.filter((r) => r.step === 1);
  const fig = intervalLines(rows, { x: (r) => r.arm, series: { own: (r) => r.v, paired: (r) => r.w }, referenceX: [{ x: 0.25 }] });
  assert.deepEqual(fig.data.map((t) => t.name), ['own', 'paired']);
  assert.deepEqual(fig.data[1].x, ['clip', 'free']);
  close(fig.data[1].error_y?.arrayminus, [0.04, 0.1]);
  assert.equal(fig.data[0].mode, 'markers');
  assert.equal(fig.layout?.scattermode, 'group');
  assert.equal((fig.layout?.shapes as { x0: number; yref: string }[])[0].yref, 'paper');
  const single = intervalLines(rows, { x: (r) => r.arm, value: (r) => r.v });
  assert.equal(single.layout?.showlegend, false);
  assert.throws(() => intervalLines(rows, { x: (r) => r.arm }), /give `value`/);
});
