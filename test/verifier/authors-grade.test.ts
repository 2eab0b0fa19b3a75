// Authors mode, grading: the PRM800K grade_answer ladder (spec §3.3) with the value comparison standing in
// for sympy under sympy's own skip conditions. Expected values were checked against the original Python
// (with real pylatexenc 2.10 and sympy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorsGradeAnswer as grade,
  authorsNormalizeForGrading,
  latexToText,
  normalizeAnswerHendrycks,
} from '../../lib/verifier/authors';

test('rung 1, Hendrycks normaliser: two empty strings are equal; \\text{ } units, k=, 0.5', () => {
  assert.equal(grade('', ''), true);
  assert.equal(normalizeAnswerHendrycks('0.5'), '\\frac{1}{2}');
  assert.equal(normalizeAnswerHendrycks('k = \\dfrac{3}{4}'), '\\frac{3}{4}');
  assert.equal(normalizeAnswerHendrycks('\\text{ 5 }'), '5');
  // an exception inside (two "\text{ " units, a bare \sqrt) returns the input unchanged
  assert.equal(normalizeAnswerHendrycks('5\\text{ cm}\\text{ m}'), '5\\text{ cm}\\text{ m}');
  assert.equal(normalizeAnswerHendrycks('\\sqrt'), '\\sqrt');
  assert.equal(grade('x=3', '3'), true);
});

test('rung 2, _normalize: AIME "025" = "25", AMC "142.0" = "142", units, degrees, thousands, or/and', () => {
  assert.equal(grade('25', '025'), true);
  assert.equal(grade('142', '142.0'), true);
  assert.equal(grade('5 cm', '5'), true);
  assert.equal(grade('30^\\circ', '30'), true);
  assert.equal(grade('1,000', '1000'), true);
  assert.equal(grade('10000', '10,\\!000'), true);
  assert.equal(grade('1 or 2', '1,2'), true);
  assert.equal(grade('\\sqrt{2}/2', '\\frac{\\sqrt{2}}{2}'), true);
});

test('_normalize renders LaTeX as pylatexenc does: \\frac{a}{b} -> a/b without parentheses', () => {
  assert.equal(authorsNormalizeForGrading('\\frac{\\sqrt{3}}{2}'), 'sqrt(3)/2');
  assert.equal(authorsNormalizeForGrading('\\frac{1+x}{2}'), '1+x/2');
  assert.equal(authorsNormalizeForGrading('7\\frac{3}{4}'), '7+3/4');
  assert.equal(authorsNormalizeForGrading('\\sqrt[3]{8}'), 'sqrt(8)');
  assert.equal(authorsNormalizeForGrading('2 million'), '2*10^6');
  assert.equal(authorsNormalizeForGrading('\\text{Hello World}'), 'helloworld');
  assert.equal(authorsNormalizeForGrading('\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}'), '[1;2]');
  assert.equal(latexToText('\\mathbb{R}'), '\u211d');
  assert.equal(latexToText('\\sin x + \\pi r'), 'sinx + \u03c0r');
});

test('rung 4-5: tuples need the same brackets and count; plain fractions must match as strings', () => {
  assert.equal(grade('(1,2)', '(1, 2)'), true);
  assert.equal(grade('[1,2)', '(1,2)'), false);
  assert.equal(grade('(2,1)', '(1,2)'), false);
  assert.equal(grade('(1,2,3)', '(1,2)'), false);
  assert.equal(grade('\\frac{3}{6}', '\\frac{1}{2}'), false); // unreduced fractions are rejected on purpose
  assert.equal(grade('\\frac{2}{4}', '2/4'), true);
});

test('rung 5: an integer never matches a non-integer; otherwise the sympy stand-in decides', () => {
  assert.equal(grade('2.5', '2'), false);
  assert.equal(grade('\\frac{5}{2}', '2.5'), true);
  assert.equal(grade('x+y', 'y+x'), true);
  assert.equal(grade('2x+3', '3+2x'), true);
  assert.equal(grade('2\\pi', '\\pi+\\pi'), true);
  assert.equal(grade('3', '4'), false);
  assert.equal(grade('10', '10,\\!000'), false);
  assert.equal(grade('0.333', '\\frac{1}{3}'), false);
  assert.equal(grade('\\pi', '3.14159'), false);
});

test("sympy's skip conditions and parse failures are kept", () => {
  assert.equal(grade('a+b+c', 'c+b+a'), false); // more than two distinct letters
  assert.equal(grade('2^{10}', '1024'), false); // "^{"
  assert.equal(grade('y = 3+2x', 'y = 2x + 3'), false); // "=" is a syntax error to parse_expr
  assert.equal(grade('3+2x', 'y = 2x + 3'), false);
  assert.equal(grade('i^2', '-1'), false); // i is a plain symbol to sympy
  assert.equal(grade('e', '2.718281828459045'), false); // and so is e
  assert.equal(grade('(073)', '073'), false); // the gold is 73, the tuple element "073" reads as 0*73
  assert.equal(grade('C', '\\text{(C)}'), true); // (c) - (c) = 0
});

test("sympy's Float precision: 16-digit decimals against fractions", () => {
  assert.equal(grade('9.88888888888889', '\\frac{89}{9}'), true);
  assert.equal(grade('4.6666666666666670', '4.666666666666667'), false);
});

test('the letter-unit quirk: a correct answer that strip_string mangles is graded wrong', () => {
  // what the authors' extraction makes of \boxed{\frac{2ab}{a^2+b^2}}
  assert.equal(grade('\\frac{2ab}{^2+b^2}', '\\frac{2ab}{a^2+b^2}'), false);
});
