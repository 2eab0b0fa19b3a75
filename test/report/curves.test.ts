// Training curves over runs: the helper shared by the organisms' trajectories (the report) and the
// engine logs brought back by lib/import (notebook 08).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tInterval } from '../../lib/eval';
import { importEngineFile } from '../../lib/import';
import { curveFigure, curvePoints, type PlotlyTrace } from '../../lib/report';

const rows = [
  { arm: 'random', seed: 1, batch: 1, v: 0.7 },
  { arm: 'random', seed: 2, batch: 1, v: 0.6 },
  { arm: 'random', seed: 3, batch: 1, v: 0.65 },
  { arm: 'random', seed: 1, batch: 0, v: 0.5 },
  { arm: 'random', seed: 2, batch: 0, v: 0.5 },
  { arm: 'gt', seed: 1, batch: 0, v: 0.5 },
  { arm: 'gt', seed: 1, batch: 1, v: null },
  { arm: 'gt', seed: 1, batch: 2, v: 0.9 },
];
const opts = { x: (r: (typeof rows)[number]) => r.batch, y: (r: (typeof rows)[number]) => r.v, group: (r: (typeof rows)[number]) => r.arm };

test('curvePoints: the mean and 95 % t interval over runs per group and step, steps sorted, unmeasured rows left out', () => {
  const p = curvePoints(rows, opts);
  assert.deepEqual(p.map((q) => [q.group, q.x, q.n]), [['random', 0, 2], ['random', 1, 3], ['gt', 0, 1], ['gt', 2, 1]]);
  const t = tInterval([0.7, 0.6, 0.65]);
  assert.ok(Math.abs(p[1].mean - 0.65) < 1e-12);
  assert.ok(Math.abs(p[1].lo - t.lo) < 1e-12 && Math.abs(p[1].hi - t.hi) < 1e-12);
  assert.ok(p[1].hi - p[1].lo > 0.2, 'three runs with sd 0.05: t(0.975, 2) = 4.3 makes a wide interval');
  // One run: no interval, not an infinite one.
  assert.ok(Number.isNaN(p[2].lo) && Number.isNaN(p[2].hi));
  assert.equal(p[2].mean, 0.5);
});

test('curveFigure: per group an upper edge, a lower edge filled to it and the mean line; legend counts runs; integer ticks', () => {
  const fig = curveFigure(rows, { ...opts, xTitle: 'rollout batch', yTitle: 'P(code)', runsLabel: (n) => `${n} runs` });
  assert.equal(fig.data.length, 6);
  const [hi, lo, line] = fig.data as PlotlyTrace[];
  assert.equal(line.name, 'random (3 runs)');
  assert.equal((line.y as number[])[0], 0.5);
  assert.ok(Math.abs((line.y as number[])[1] - 0.65) < 1e-12);
  assert.ok(Math.abs((hi.y as number[])[1] - tInterval([0.7, 0.6, 0.65]).hi) < 1e-12);
  assert.equal(lo.fill, 'tonexty');
  const gtLine = fig.data[5];
  assert.equal(gtLine.name, 'gt (1 runs)');
  assert.deepEqual(fig.data[3].y, [null, null], 'one run: the band is empty');
  assert.deepEqual(gtLine.x, [0, 2]);
  const xaxis = fig.layout?.xaxis as Record<string, unknown>;
  assert.equal(xaxis.dtick, 1);
  assert.deepEqual(xaxis.title, { text: 'rollout batch' });
  assert.deepEqual(curveFigure([], { ...opts, xTitle: 'x', yTitle: 'y' }).data, []);
});

test('the same helper draws an engine run imported by lib/import: one curve per source, the logged values', () => {
  const run = importEngineFile('openrlhf', join('test', 'import', 'fixtures', 'openrlhf-metrics.jsonl'));
  const fig = curveFigure(run.metricRows, { x: (r) => r.step, y: (r) => r.rewardMean, group: (r) => r.source, xTitle: 'global step', yTitle: 'mean reward' });
  const line = fig.data[fig.data.length - 1];
  assert.equal(line.name, 'openrlhf');
  assert.deepEqual(line.x, [1, 2]);
  assert.deepEqual(line.y, [0.4375, 0.5]);
});
