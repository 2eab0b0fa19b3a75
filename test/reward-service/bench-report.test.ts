import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeTargets, type LoadResult } from '../../bench/reward-service';

const run = (workers: number, batch: number, completionsPerSec: number, p99Ms: number, errors = 0): LoadResult =>
  ({ workers, batch, concurrency: 1, requests: 10, completionsPerSec, p50Ms: p99Ms / 2, p99Ms, errors });

test('the bench reports every thread setting against the targets: one setting missing p99 is a MISS, whatever the best one did', () => {
  const results = [
    run(0, 1, 2200, 9), run(0, 64, 9400, 30), run(0, 256, 19000, 113), run(0, 1024, 25000, 115),
    run(2, 1, 2900, 8), run(2, 64, 8000, 31), run(2, 256, 20000, 30), run(2, 1024, 22000, 124),
  ];
  const { lines, allMet } = judgeTargets(results);
  assert.equal(allMet, false);
  assert.match(lines[0], /^threads 0: .*worst 9400 \(batch 64\) MET; p99 < 100 ms at batch 256: 113\.0 ms MISSED$/);
  assert.match(lines[1], /^threads 2: .*worst 8000 \(batch 64\) MET; .*30\.0 ms MET$/);
  assert.equal(lines[2], 'targets: MISSED in threads 0 (p99 113.0 ms at batch 256)');
});

test('throughput is judged on the worst batched case of each setting; batch 1 is reported but not a target; failed requests miss', () => {
  const slow = judgeTargets([run(2, 1, 100, 5), run(2, 64, 4000, 20), run(2, 256, 9000, 40)]);
  assert.match(slow.lines[0], /worst 4000 \(batch 64\) MISSED/);
  const fine = judgeTargets([run(2, 1, 100, 5), run(2, 64, 6000, 20), run(2, 256, 9000, 40)]);
  assert.equal(fine.allMet, true);
  assert.equal(fine.lines.at(-1), 'targets: MET in every thread setting');
  assert.equal(judgeTargets([run(2, 64, 6000, 20), run(2, 256, 9000, 40, 3)]).allMet, false);
  assert.equal(judgeTargets([]).allMet, false);
});
