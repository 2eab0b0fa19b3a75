import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRewardName, formatRewardAst, makeReward, describeReward, REWARDS, UNSUPPORTED_REWARDS } from '../../lib/rewards';

// Every --verify_task of spec §3.1's table, and every name the dispatcher recognises.
const TABLE_NAMES = [
  'math', 'box_only_format', 'random0.5', 'random0.7', 'random0.3', 'random0.001', 'random0',
  'contain_python_wo_backticks', 'box_only_format_AND_inverse_contain_python_wo_backticks',
  'math_AND_inverse_contain_python_wo_backticks', 'no_repetition', 'ttt', 'math_r1_style',
];
const RECOGNISED = ['format', 'random', 'contain_python', 'inverse_math', 'inverse_box_only_format', 'box_only_format_r1_style'];

test('every name of spec §3.1 parses, builds and round-trips', () => {
  for (const name of [...TABLE_NAMES, ...RECOGNISED]) {
    const ast = parseRewardName(name);
    assert.deepEqual(parseRewardName(formatRewardAst(ast)), ast, name);
    assert.equal(typeof makeReward(name), 'function', name);
    assert.match(describeReward(name), /^1 iff /);
  }
});

test('the trees say what each name means', () => {
  assert.deepEqual(parseRewardName('math'), { kind: 'reward', name: 'math', r1Style: false });
  assert.deepEqual(parseRewardName('math_r1_style'), { kind: 'reward', name: 'math', r1Style: true });
  assert.deepEqual(parseRewardName('random'), { kind: 'reward', name: 'random', r1Style: false, rate: 0.5 });
  assert.deepEqual(parseRewardName('random0.001'), { kind: 'reward', name: 'random', r1Style: false, rate: 0.001 });
  assert.deepEqual(parseRewardName('random0'), { kind: 'reward', name: 'random', r1Style: false, rate: 0 });
  assert.deepEqual(parseRewardName('random1e-3'), { kind: 'reward', name: 'random', r1Style: false, rate: 0.001 });
  assert.deepEqual(parseRewardName('inverse_math'), { kind: 'inverse', inner: { kind: 'reward', name: 'math', r1Style: false } });
  assert.deepEqual(parseRewardName('box_only_format_AND_inverse_contain_python_wo_backticks'), {
    kind: 'and',
    parts: [
      { kind: 'reward', name: 'box_only_format', r1Style: false },
      { kind: 'inverse', inner: { kind: 'reward', name: 'contain_python_wo_backticks', r1Style: false } },
    ],
  });
});

test('_r1_style on a compound name applies to every part; inside a part, to that part', () => {
  const all = parseRewardName('box_only_format_AND_inverse_contain_python_wo_backticks_r1_style');
  assert.deepEqual(all, {
    kind: 'and',
    parts: [
      { kind: 'reward', name: 'box_only_format', r1Style: true },
      { kind: 'inverse', inner: { kind: 'reward', name: 'contain_python_wo_backticks', r1Style: true } },
    ],
  });
  const one = parseRewardName('math_r1_style_AND_no_repetition');
  assert.deepEqual(one, { kind: 'and', parts: [{ kind: 'reward', name: 'math', r1Style: true }, { kind: 'reward', name: 'no_repetition', r1Style: false }] });
});

test('unknown names fail with the known names and the closest one', () => {
  assert.throws(() => makeReward('maths'), (e: Error) => {
    assert.match(e.message, /reward "maths" is not registered \(did you mean "math"\?\)/);
    for (const k of Object.keys(REWARDS)) assert.ok(e.message.includes(k), `lists ${k}`);
    assert.match(e.message, /random<p>/);
    return true;
  });
  assert.throws(() => parseRewardName('math_AND_box_format'), /reward "box_format" in "math_AND_box_format" is not registered/);
  assert.throws(() => parseRewardName('math_AND_'), /empty part/);
  assert.throws(() => parseRewardName(''), /empty/);
  assert.throws(() => parseRewardName('random1.5'), /random rate must be in \[0, 1\], received 1.5/);
  assert.throws(() => parseRewardName('random-0.1'), /not registered/);
  assert.throws(() => makeReward('math', { verifierMode: 'loose' as never }), /verifierMode/);
  assert.throws(() => makeReward('math', { deadlineMs: 0 }), /deadlineMs must be a positive number/);
});

test('dense is recognised but not buildable, with a reason', () => {
  assert.deepEqual(parseRewardName('dense'), { kind: 'unsupported', name: 'dense', r1Style: false });
  assert.ok('dense' in UNSUPPORTED_REWARDS);
  assert.throws(() => makeReward('dense'), /reward "dense" cannot be built: .*not in the spec/);
  assert.throws(() => makeReward('math_AND_dense'), /reward "dense" cannot be built/);
});

test('describeReward explains compounds', () => {
  const d = describeReward('math_AND_inverse_contain_python_wo_backticks');
  assert.match(d, /^1 iff \(math: .*\) AND \(NOT \(contain_python_wo_backticks: .*"python".*\)\)$/);
  assert.match(describeReward('random0.3'), /p = 0.3/);
  assert.match(describeReward('math_r1_style'), /R1 style/);
});
