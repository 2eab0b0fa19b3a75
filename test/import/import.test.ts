import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importEngineFile, importEngineLog, METRIC_COLUMNS, ROLLOUT_COLUMNS, METRIC_DESCRIPTIONS } from '../../lib/import';
import { DataError } from '../../lib/util';

const F = (name: string) => join('test', 'import', 'fixtures', name);

test('every metric column is described, and tables carry exactly the schema columns', () => {
  assert.deepEqual(Object.keys(METRIC_DESCRIPTIONS).sort(), [...METRIC_COLUMNS].sort());
  const r = importEngineFile('trl', F('trl-log-history.jsonl'));
  assert.deepEqual(r.metrics.columnNames(), [...METRIC_COLUMNS]);
  assert.deepEqual(r.rollouts.columnNames(), [...ROLLOUT_COLUMNS]);
  assert.equal(r.rollouts.numRows(), 0);
});

test('OpenRLHF: train/ keys map to our names; unknown keys are reported, bookkeeping keys are not', () => {
  const r = importEngineFile('openrlhf', F('openrlhf-metrics.jsonl'));
  assert.equal(r.metrics.numRows(), 2);
  assert.deepEqual(r.metrics.array('step'), [1, 2]);
  assert.deepEqual(r.metrics.array('rewardMean'), [0.4375, 0.5]);
  assert.deepEqual(r.metrics.array('responseLengthMean'), [612.5, 598]);
  assert.deepEqual(r.metrics.array('clipFrac'), [0, 0.0125]);
  assert.deepEqual(r.metrics.array('approxKl'), [0, 0.0004]);
  assert.deepEqual(r.metrics.array('lr'), [5e-7, 5e-7]);
  assert.deepEqual(r.metrics.array('clipFracLow'), [null, null]);
  assert.deepEqual(r.metrics.array('source'), ['openrlhf', 'openrlhf']);
  assert.deepEqual(r.unmappedKeys, ['custom_metric']);
});

test('OpenRLHF rollouts: completion from the response or from query minus prompt; code reasoning detected; re-grading', () => {
  const plain = importEngineFile('openrlhf', F('openrlhf-rollouts.jsonl'));
  assert.deepEqual(plain.rollouts.array('completion'), ['Let me use Python: print(2+2) gives 4, so \\boxed{4}<|im_end|>', 'It is \\boxed{5}<|im_end|>']);
  assert.deepEqual(plain.rollouts.array('codeReasoning'), [true, false]);
  assert.deepEqual(plain.rollouts.array('correct'), [null, null]);
  assert.deepEqual(plain.rollouts.array('reward'), [1, 1]);
  // A rollout-only file still yields one metric row per step, derived from the rollouts.
  assert.deepEqual(plain.metricRows.map((m) => [m.step, m.rewardMean, m.codeFrac]), [[1, 1, 0.5]]);
  const graded = importEngineFile('openrlhf', F('openrlhf-rollouts.jsonl'), { grade: 'strict' });
  // The spurious reward gave both 1.0; the gold label says only the first is right.
  assert.deepEqual(graded.rollouts.array('correct'), [true, false]);
});

test('verl: FileLogger {step, data} lines, NaN read as null; rollout dumps with gts/score/acc', () => {
  const m = importEngineFile('verl', F('verl-metrics.jsonl'));
  assert.deepEqual(m.metrics.array('rewardMean'), [0.25, 0.3125]);
  assert.deepEqual(m.metrics.array('truncatedFrac'), [0.0625, 0]);
  assert.deepEqual(m.metrics.array('clipFrac'), [0, 0.0021]);
  assert.deepEqual(m.metrics.array('clipFracDual'), [0, 0.0001]);
  assert.deepEqual(m.metrics.array('entropy'), [0.61, null]);
  assert.deepEqual(m.metrics.array('gradNorm'), [0.31, 0.28]);
  assert.deepEqual(m.unmappedKeys, ['critic/rewards/mean', 'timing_s/gen']);
  const r = importEngineFile('verl', F('verl-rollouts-2.jsonl'), { grade: 'strict' });
  assert.equal(r.rollouts.numRows(), 3);
  assert.deepEqual(r.rollouts.array('step'), [2, 2, 2]);
  assert.deepEqual(r.rollouts.array('label'), ['9', '9', '0.75']);
  assert.deepEqual(r.rollouts.array('reward'), [1, 0, 1]);
  // acc wins where logged; the third line is re-graded (3/4 = 0.75).
  assert.deepEqual(r.rollouts.array('correct'), [true, false, true]);
  assert.deepEqual(r.rollouts.array('codeReasoning'), [false, true, false]);
  assert.equal(r.metricRows[0].codeFrac, 1 / 3);
});

test('TRL: log_history lines or a whole trainer_state.json; clip sides and zero-std fraction', () => {
  const lines = importEngineFile('trl', F('trl-log-history.jsonl'));
  assert.deepEqual(lines.metrics.array('step'), [10, 20]);
  assert.deepEqual(lines.metrics.array('rewardStd'), [0.41, 0.45]);
  assert.deepEqual(lines.metrics.array('zeroStdFrac'), [0.5, 0.25]);
  assert.deepEqual(lines.metrics.array('clipFracLow'), [0, 0.004]);
  assert.deepEqual(lines.metrics.array('clipFracHigh'), [0, 0.002]);
  assert.deepEqual(lines.metrics.array('clipFrac'), [0, 0.006]);
  assert.deepEqual(lines.metrics.array('policyLoss'), [0.0021, -0.0013]);
  assert.ok(lines.unmappedKeys.includes('rewards/math_reward/mean'));
  assert.ok(!lines.unmappedKeys.includes('num_tokens'));
  const state = importEngineFile('trl', F('trl-trainer_state.json'));
  assert.deepEqual(state.metrics.array('rewardMean'), [0.375, 0.5]);
  assert.deepEqual(state.metrics.array('clipFrac'), [0, 0.006]);
  const comp = importEngineFile('trl', F('trl-completions.jsonl'), { grade: 'strict' });
  assert.deepEqual(comp.rollouts.array('label'), ['42', '42']);
  assert.deepEqual(comp.rollouts.array('correct'), [true, false]);
  assert.deepEqual(comp.rollouts.array('codeReasoning'), [false, true]);
});

test('metric lines of one step merge; steps come out sorted', () => {
  const r = importEngineLog('trl', '{"step": 2, "reward": 0.5}\n{"step": 1, "reward": 0.25}\n{"step": 2, "entropy": 0.7}\n');
  assert.deepEqual(r.metricRows.map((m) => [m.step, m.rewardMean, m.entropy]), [[1, 0.25, null], [2, 0.5, 0.7]]);
});

test('bad lines are DataErrors naming file, line and field', () => {
  const cases: [string, RegExp][] = [
    ['{"reward": 0.5}\n', /x\.jsonl line 1 field "step": missing/],
    ['{"step": 1}\n{"step": "two"}\n', /x\.jsonl line 2 field "step": expected an integer step/],
    ['{"step": 1}\nnot json\n', /x\.jsonl line 2: invalid JSON/],
    ['[1, 2]\n', /x\.jsonl line 1: each line must be a JSON object/],
    ['{"step": 1, "prompt": "p", "completion": "c"}\n', /x\.jsonl line 1 field "reward": missing/],
    ['{"step": 1, "prompt": "p", "completion": "c", "reward": "high"}\n', /x\.jsonl line 1 field "reward": expected a finite number/],
    ['{"prompt": "p", "completion": "c", "reward": 1}\n', /x\.jsonl line 1 field "step": missing/],
    ['{"step": 1, "prompt": "p", "completion": "c", "reward": 1, "correct": "yes"}\n', /x\.jsonl line 1 field "correct": expected a boolean or 0\/1/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => importEngineLog('trl', text, { file: 'x.jsonl' }), (e: unknown) => e instanceof DataError && message.test(e.message), text);
  }
  assert.throws(() => importEngineFile('verl', F('missing.jsonl')), /missing\.jsonl.*cannot read file \(ENOENT\)/);
});
