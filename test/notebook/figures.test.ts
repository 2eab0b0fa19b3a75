import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalBars, type PlotlyTrace } from '../../lib/notebook/index';

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
});

test('without a group there is one unnamed trace and no legend; percent: false keeps rates', () => {
  const fig = intervalBars(rows.slice(0, 2), { x: (r) => r.model, value: (r) => r.p, percent: false });
  assert.equal(fig.data.length, 1);
  assert.equal(fig.data[0].name, undefined);
  assert.deepEqual(fig.data[0].y, [0.1, 0.5]);
  assert.equal(fig.layout?.showlegend, false);
});
