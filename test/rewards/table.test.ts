import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewardTable, makeReward } from '../../lib/rewards';
import { createRng } from '../../lib/util';

const items = [
  { id: 'a', completion: 'We compute 2+3. The answer is \\boxed{5}.', label: '5' },
  { id: 'b', completion: 'Let me write python code: print(4). So \\boxed{4}', label: '5' },
  { id: 'c', completion: 'I am not sure.', label: '5' },
];

test('rewardTable gives one 0/1 column per reward, matching each reward applied alone', () => {
  const names = ['math', 'box_only_format', 'contain_python_wo_backticks', 'random0.5'];
  const rows = rewardTable(items, names, { seed: 7 });
  assert.deepEqual(rows.map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(rows.map((r) => r.math), [1, 0, 0]);
  assert.deepEqual(rows.map((r) => r.box_only_format), [1, 1, 0]);
  assert.deepEqual(rows.map((r) => r.contain_python_wo_backticks), [0, 1, 0]);
  const random = makeReward('random0.5');
  for (const [i, item] of items.entries()) {
    const alone = random({ prompt: '', label: item.label, completions: [item.completion], rng: createRng(7).fork(item.id) })[0];
    assert.equal(rows[i]['random0.5'], alone);
  }
});

test('rewardTable rows do not depend on the other items (random is forked per item id)', () => {
  const all = rewardTable(items, ['random0.5'], { seed: 3 });
  const last = rewardTable(items.slice(2), ['random0.5'], { seed: 3 });
  assert.equal(all[2]['random0.5'], last[0]['random0.5']);
});

test('rewardTable rejects an unknown reward name with the known names', () => {
  assert.throws(() => rewardTable(items, ['mathh']), /known:.*math/);
});
