// End to end: GRPO with the ground-truth reward visibly improves the toy model's accuracy within a
// fixed number of steps (seeded). The warm-started model answers "7=" with \boxed{7} or the
// systematic slip \boxed{8}; the reward must shift mass to the right answer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../lib/tensor';
import { train, type RolloutRecord } from '../../lib/grpo';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

test('ground-truth GRPO raises the toy task accuracy by a clear margin in 20 steps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-learn-'));
  try {
    const acc: number[] = [];
    const res = await train({
      runDir: dir, seed: 1, steps: 20, checkpointEvery: 0, reward: 'math',
      algo: { groupSize: 8, promptsPerRollout: 4, minibatches: 4, microBatchSize: 4, whitenGlobally: false, optimizer: 'adam', lr: 0.002 },
      task: { op: 'copy', maxOperand: 9 },
      sampling: { maxNewTokens: 12 },
    }, { onMetrics: (r) => acc.push(...r.rollouts.map((x: RolloutRecord) => x.accuracy)) });
    res.model.dispose();
    assert.equal(acc.length, 20);
    const first = mean(acc.slice(0, 4));
    const last = mean(acc.slice(-4));
    assert.ok(first < 0.5, `the warm-started model starts weak (accuracy ${first.toFixed(3)})`);
    assert.ok(last - first >= 0.25, `accuracy ${first.toFixed(3)} → ${last.toFixed(3)} over 20 steps`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
