// Python rewards (spec §3.7). The paper's "Python reward" is the loose one.
import { mentionsPython, hasPythonFence } from '../detectors';
import type { BaseRewardFn } from './types';

/** `contain_python_wo_backticks`: the lower-cased completion contains "python" ("pythonic" counts). */
export const containPythonWoBackticksReward: BaseRewardFn = (group) => group.completions.map((c) => (mentionsPython(c) ? 1 : 0));

/** `contain_python`: the completion contains "```python" (case-insensitive). */
export const containPythonReward: BaseRewardFn = (group) => group.completions.map((c) => (hasPythonFence(c) ? 1 : 0));
