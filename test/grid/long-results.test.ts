// The committed secondary results (data/results/long, docs/organisms.md "The secondary run length") against
// the committed primary grid (data/results/full): the lr is constant and every random stream is forked by
// step, so over the primary's length each long run must be its primary run, metric for metric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readGridResults } from '../../lib/grid';

const RESULTS = join(import.meta.dirname, '..', '..', 'data', 'results');
const rowKey = (r: { family: string; arm: string; seed: number; batches: number }): string => `${r.family}/${r.arm}/${r.seed}/${r.batches}`;

test('every committed long run repeats its primary run exactly over the primary run length, and logs all 100 batches', () => {
  const long = readGridResults(join(RESULTS, 'long'));
  const full = readGridResults(join(RESULTS, 'full'));
  assert.equal(long.spec.steps, 4 * full.spec.steps);
  assert.deepEqual(long.spec.lr['good-code'], full.spec.lr['good-code'], 'the primary learning rate');
  assert.ok(long.cells.length > 0, 'data/results/long holds runs');
  const primary = new Map(full.trajectories.map((r) => [rowKey(r), r]));
  let compared = 0;
  for (const c of long.cells) {
    const rows = long.trajectories.filter((r) => r.family === c.family && r.arm === c.arm && r.seed === c.seed);
    assert.deepEqual(rows.map((r) => r.batches), Array.from({ length: long.spec.steps + 1 }, (_, i) => i), `${c.key}: a row per batch, 0-${long.spec.steps}`);
    for (const r of rows.filter((x) => x.batches <= full.spec.steps)) {
      const p = primary.get(rowKey(r));
      assert.ok(p !== undefined, `${rowKey(r)}: its primary row is committed`);
      assert.deepEqual(r, p, `${rowKey(r)}: the long run's row equals the primary run's`);
      compared++;
    }
  }
  assert.equal(compared, long.cells.length * (full.spec.steps + 1));
});
