import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mentionsPython, hasPythonFence } from '../../lib/detectors';

test('mentionsPython is the paper\'s case-insensitive substring test (spec §6.1)', () => {
  const yes = ['Python', 'PYTHON code', '```python\nprint(1)\n```', 'a pythonic answer', 'use python3', 'xpythonx'];
  const no = ['', 'pyth on', 'py', '```py\nprint(1)\n```', 'def f(x):\n    return x', 'Pyhton'];
  for (const t of yes) assert.equal(mentionsPython(t), true, t);
  for (const t of no) assert.equal(mentionsPython(t), false, t);
});

test('hasPythonFence needs "```python" (any case), not just the word', () => {
  assert.equal(hasPythonFence('```python\nx=1\n```'), true);
  assert.equal(hasPythonFence('```PYTHON\nx=1\n```'), true);
  assert.equal(hasPythonFence('I would use Python here'), false);
  assert.equal(hasPythonFence('``` python\nx=1\n```'), false, 'a space breaks the literal match, as in the original');
  assert.equal(hasPythonFence('```py\nx=1\n```'), false);
});
