import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REWARDS, REWARD_INPUTS, rewardInputs } from '../../lib/rewards';

test('every base reward says what it reads; compounds read what any part reads', () => {
  assert.deepEqual(Object.keys(REWARD_INPUTS).sort(), Object.keys(REWARDS).sort());
  assert.deepEqual(rewardInputs('ttt'), { wholeGroup: true, label: false });
  assert.deepEqual(rewardInputs('math'), { wholeGroup: false, label: true });
  assert.deepEqual(rewardInputs('random0.5'), { wholeGroup: false, label: false });
  assert.deepEqual(rewardInputs('ttt_AND_inverse_contain_python_wo_backticks'), { wholeGroup: true, label: false });
  assert.deepEqual(rewardInputs('inverse_math_AND_box_only_format_r1_style'), { wholeGroup: false, label: true });
  assert.throws(() => rewardInputs('mathh'), /"mathh" is not registered \(did you mean "math"\?\)/);
});
