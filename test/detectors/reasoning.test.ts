import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReasoning, compareDetectors, DETECTORS, getDetector } from '../../lib/detectors';

const QWEN_MATH_CODE = [
  'To find the sum, we can write a short program.',
  '```python',
  'total = 0',
  'for i in range(1, 101):',
  '    total += i',
  'print(total)',
  '```',
  '```output',
  '5050',
  '```',
  'The sum is $\\boxed{5050}$.',
].join('\n');

const UNTAGGED_CODE_THEN_OUTPUT = [
  "Let's compute it.",
  '```',
  'from sympy import symbols, solve',
  "x = symbols('x')",
  'print(solve(x**2 - 4, x))',
  '```',
  '```',
  '[-2, 2]',
  '```',
  'So $x = \\pm 2$.',
].join('\n');

const CODE_LINES = [
  'We can reason as in code:',
  'def f(n):',
  '    return n * (n + 1) // 2',
  'print(f(100))',
  'Output: 5050',
  'So the answer is \\boxed{5050}.',
].join('\n');

const REPL = ['>>> 2**10', '1024', 'So $2^{10} = \\boxed{1024}$.'].join('\n');

const NATURAL = [
  'We need $x + 3 = 7$, so $x = 4$.',
  'Then total = 4 + 3 = 7 apples.',
  '\\[ \\frac{1}{2} \\cdot 8 = 4 \\]',
  'Therefore the answer is \\boxed{4}.',
].join('\n');

const NATURAL_SAYS_PYTHON = 'We could check this with Python, but by hand: $3 \\cdot 4 = 12$, so the answer is \\boxed{12}.';

test('a ```python block followed by ```output is a code block with imagined output', () => {
  const c = classifyReasoning(QWEN_MATH_CODE);
  assert.equal(c.strategy, 'code_block');
  assert.equal(c.imaginedOutput, true);
  assert.deepEqual(c.features.fenceLanguages, ['python', 'output']);
  assert.equal(c.features.codeFences, 1);
  assert.equal(c.features.outputFences, 1);
  assert.equal(c.features.mentionsPython, true);
});

test('an untagged fence with code, then an untagged fence right after it, reads as code + output', () => {
  const c = classifyReasoning(UNTAGGED_CODE_THEN_OUTPUT);
  assert.equal(c.strategy, 'code_block');
  assert.equal(c.features.codeFences, 1);
  assert.equal(c.features.outputFences, 1);
  assert.equal(c.imaginedOutput, true);
  assert.equal(c.features.mentionsPython, false, 'the paper\'s detector misses this one');
});

test('unfenced def/return/print lines are code lines; "Output:" is an output marker', () => {
  const c = classifyReasoning(CODE_LINES);
  assert.equal(c.strategy, 'code_lines');
  assert.equal(c.features.fencedBlocks, 0);
  assert.ok(c.features.strongCodeLines >= 3, `strong lines: ${c.features.strongCodeLines}`);
  assert.equal(c.features.outputMarkers, 1);
  assert.equal(c.imaginedOutput, true);
});

test('a >>> prompt and its result line: one strong code line is not enough on its own', () => {
  const c = classifyReasoning(REPL);
  assert.equal(c.features.strongCodeLines, 1);
  assert.equal(c.features.outputMarkers, 1, 'the line after >>> is a result');
  assert.equal(c.strategy, 'natural_language');
  assert.equal(c.imaginedOutput, false, 'no imagined output without code reasoning');
  const two = classifyReasoning(['>>> import math', '>>> math.sqrt(16)', '4.0'].join('\n'));
  assert.equal(two.strategy, 'code_lines');
  assert.equal(two.imaginedOutput, true);
});

test('math prose with equations and LaTeX is natural language, even with "total = 4 + 3"', () => {
  const c = classifyReasoning(NATURAL);
  assert.equal(c.strategy, 'natural_language');
  assert.equal(c.features.strongCodeLines, 0);
  assert.equal(c.imaginedOutput, false);
});

test('saying "Python" is not code reasoning for the classifier (it is for the paper)', () => {
  const c = classifyReasoning(NATURAL_SAYS_PYTHON);
  assert.equal(c.strategy, 'natural_language');
  assert.equal(c.features.mentionsPython, true);
});

test('fences: latex/math tags are not code; empty or unclosed fences are counted but not code', () => {
  assert.equal(classifyReasoning('```latex\n\\frac{1}{2}\n```').strategy, 'natural_language');
  const unclosed = classifyReasoning('The answer is \\boxed{3}\n```');
  assert.equal(unclosed.features.fencedBlocks, 1);
  assert.equal(unclosed.features.unclosedFence, true);
  assert.equal(unclosed.strategy, 'natural_language');
  const truncated = classifyReasoning('```python\nimport math\nx = math.sqrt(');
  assert.equal(truncated.strategy, 'code_block');
  assert.equal(truncated.features.unclosedFence, true);
  assert.equal(classifyReasoning('```r\nnoise }} { / words\n```').strategy, 'natural_language', 'one-letter tags need code-like content');
  assert.equal(classifyReasoning('```js\nconsole.log(1)\n```').strategy, 'code_block');
  assert.equal(classifyReasoning('```python print(2**3)```').strategy, 'code_block', 'a one-line fence');
});

test('compareDetectors: agreement, confusion table and the disagreeing items', () => {
  const texts = [QWEN_MATH_CODE, UNTAGGED_CODE_THEN_OUTPUT, CODE_LINES, NATURAL, NATURAL_SAYS_PYTHON];
  const r = compareDetectors(texts);
  assert.equal(r.n, 5);
  // paper: code, language, language, language, code; classifier: code, code, code, language, language
  assert.equal(r.agree, 2);
  assert.equal(r.agreementRate, 2 / 5);
  const cell = (p: string, c: string) => r.confusion.find((x) => x.paper === p && x.classifier === c)!.count;
  assert.equal(cell('code', 'code'), 1);
  assert.equal(cell('code', 'language'), 1);
  assert.equal(cell('language', 'code'), 2);
  assert.equal(cell('language', 'language'), 1);
  assert.deepEqual(r.disagreements.map((d) => d.index), [1, 2, 4]);
  assert.equal(r.paperCodeRate, 2 / 5);
  assert.equal(r.classifierCodeRate, 3 / 5);
  assert.deepEqual(r.byStrategy.find((s) => s.strategy === 'natural_language'), { strategy: 'natural_language', paperCode: 1, paperLanguage: 1 });
  // kappa = (po - pe) / (1 - pe) with pe = 0.4*0.6 + 0.6*0.4 = 0.48
  assert.ok(Math.abs(r.kappa - (0.4 - 0.48) / 0.52) < 1e-12);
});

test('DETECTORS registry: one output shape; unknown names list the known ones', () => {
  assert.deepEqual(Object.keys(DETECTORS).sort(), ['code_reasoning', 'mentions_python', 'python_fence', 'repetition']);
  const d = getDetector('code_reasoning')(QWEN_MATH_CODE);
  assert.equal(d.hit, true);
  assert.equal(d.label, 'code_block');
  assert.equal(d.details.imaginedOutput, true);
  assert.equal(d.details.fenceLanguages, 'python,output');
  assert.deepEqual(getDetector('repetition')('intro ' + '0123456789'.repeat(10)), {
    hit: true, label: 'repetitive', details: { patternLength: 10, start: 6, repeats: 10 },
  });
  assert.equal(getDetector('mentions_python')('PyThOn').hit, true);
  assert.throws(() => getDetector('mention_python'), /detector "mention_python" is not registered \(did you mean "mentions_python"\?\); known: code_reasoning, mentions_python, python_fence, repetition/);
});
