// Equivalence rules of the strict comparison, each in both directions, with near misses beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answersEquivalent, compareAnswers } from '../../lib/verifier';

function same(pairs: [string, string][]): void {
  for (const [a, b] of pairs) {
    assert.equal(compareAnswers(a, b), 'equal', `${a} vs ${b}`);
    assert.equal(compareAnswers(b, a), 'equal', `${b} vs ${a}`);
  }
}
function differ(pairs: [string, string][]): void {
  for (const [a, b] of pairs) {
    assert.notEqual(compareAnswers(a, b), 'equal', `${a} vs ${b}`);
    assert.notEqual(compareAnswers(b, a), 'equal', `${b} vs ${a}`);
  }
}

test('exact rationals: fraction forms, unreduced fractions, terminating decimals, leading zeros', () => {
  same([['\\frac{3}{6}', '\\frac12'], ['\\dfrac{670}{2011}', '\\frac{670}{2011}'], ['\\tfrac{405}{4}', '101.25'], ['4/3', '\\frac{4}{3}'],
    ['0.0625', '\\frac{1}{16}'], ['.35625', '\\dfrac{57}{160}'], ['142', '142.0'], ['6.00', '6'], ['032', '32'], ['\\frac{-23}{54}', '-\\frac{23}{54}'],
    ['6\\frac{1}{4}', '\\frac{25}{4}'], ['0.\\overline{3}', '\\frac13']]);
  differ([['0.333', '\\frac13'], ['3.667', '\\frac{11}{3}'], ['\\frac{9}{8}', '35/32'], ['7294926', '7294927'], ['-\\frac{1}{169}', '\\frac{1}{169}'],
    ['00008', '80000'], ['\\frac{1}{23}', '\\frac{12}{3}']]);
});

test('decimals equal irrational values never, even when very close', () => {
  differ([['37.6991', '12\\pi'], ['43.4990', '\\frac{180 \\pi}{13}'], ['1.4142135623730951', '\\sqrt{2}'], ['2.718281828', 'e'], ['791.68', '252\\pi']]);
  same([['0.5\\sqrt{2}', '\\frac{\\sqrt2}{2}'], ['\\frac{1}{2}\\pi', '\\frac{\\pi}{2}']]);
});

test('surds and pi multiples compare by value', () => {
  same([['\\sqrt{84}', '2\\sqrt{21}'], ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt3}'], ['\\frac{3}{2}+\\sqrt{2}', '\\frac{3 + 2\\sqrt{2}}{2}'],
    ['2*sqrt(5)', '2 \\sqrt{5}'], ['sqrt(3)/2', '\\frac{\\sqrt3}{2}'], ['2304π', '2304\\pi'], ['5\\pi/8', '\\frac{5 \\pi}{8}'], ['\\sqrt[3]{27}', '3'],
    ['8^{2/3}', '4'], ['\\frac{3 \\sqrt3}{2}', '\\frac{3 \\sqrt{3}}{2}'], ['e^{i\\pi}', '-1'], ['\\sqrt{-4}', '2i'], ['(1+i)^2', '2i']]);
  differ([['\\frac{\\sqrt{3}}{5}', '\\frac{\\sqrt{5}}{3}'], ['\\frac{2304}{\\pi}', '2304\\pi'], ['\\sqrt{4}', '2 \\sqrt{2}'], ['13\\sqrt{5}', '5\\sqrt{13}'],
    ['\\frac{5\\pi}{9}', '\\frac{5 \\pi}{8}'], ['-(\\sqrt{5})', '\\sqrt{5}'], ['2i', '-2i']]);
});

test('unevaluated expressions count: factorials, binomials, powers, logs', () => {
  same([['3!', '6'], ['7!\\times 2', '10,\\!080'], ['\\binom{8}{2}', '28'], ['\\dbinom{8}{2}', '28'], ['2^{10}', '1024'], ['\\log_2 8', '3'],
    ['\\frac{12!}{2^6}', '7484400'], ['1.5\\times 10^3', '1500'], ['10^{999}', '1' + '0'.repeat(999)]]);
  differ([['2^{10}', '1023'], ['\\binom{8}{3}', '28']]);
});

test('expressions with variables compare at seeded points', () => {
  same([['x^2-1', '(x-1)(x+1)'], ['x**2', 'x^2'], ['a^2b', 'ba^2'], ['\\frac{x}{2}', 'x/2'], ['\\sin^2 x+\\cos^2 x', '1'], ['2n', '\\displaystyle 2n'],
    ['e^{\\sqrt{2}}  -  e^{-\\sqrt{2}}', 'e^{\\sqrt{2}} - e^{-\\sqrt{2}}']]);
  differ([['x', 'y'], ['x^2+1', 'x^2-1'], ['+32x+46', '32x - 46'], ['(2n)^2', '2n'], ['\\frac{10m}{-10}', '\\frac{10m}{m-10}'],
    ['x^5 - x^4 + x^3 - x^2 + x - 1+1', 'x^5 - x^4 + x^3 - x^2 + x - 1']]);
});

test('tuples are ordered, solution lists and sets are not; \\pm expands to two values', () => {
  same([['(1, -2)', '(1,-2)'], ['\\left( -\\sqrt{3}, \\sqrt{3} \\right)', '(-\\sqrt{3}, \\sqrt{3})'], ['\\{3, -1\\}', '3, -1'], ['1, 2', '2, 1'],
    ['x=1, x=2', '1, 2'], ['0 \\text{ or } 1', '1, 0'], ['1 \\pm \\sqrt{5}', '1+\\sqrt5, 1-\\sqrt5'], ['\\pm 2', '2, -2'],
    ['-2, 1 \\pm \\sqrt{5}', '1+\\sqrt{5}, -2, 1-\\sqrt{5}']]);
  differ([['(1,2)', '(2,1)'], ['(-1, -2)', '(1,-2)'], ['3, -1, 4', '3, -1'], ['0', '0 or 1'], ['(1,2)', '\\{1,2\\}'], ['-2', '-2,1 \\pm \\sqrt{5}']]);
});

test('intervals keep their openness; unions are order-free; inequalities read as intervals', () => {
  same([['\\left( 2, \\infty \\right)', '(2,\\infty)'], ['(-\\infty,2)\\cup(3,\\infty)', '(3,\\infty)\\cup(-\\infty,2)'], ['x > 5', '(5,\\infty)'],
    ['-2 \\le x < 7', '[-2,7)'], ['x \\in [-2,7]', '[-2,7]'], ['\\mathbb{R}', '(-\\infty,\\infty)']]);
  differ([['[1,2)', '(1,2)'], ['[-1,0)', '(-1,0]'], ['(\\infty, 2)', '(2,\\infty)'], ['(-\\infty, 2)', '(-\\infty, 2) \\cup (3, \\infty)'],
    ['x > 5', '[5,\\infty)']]);
});

test('matrices compare entry by entry, whatever the bracket environment', () => {
  same([['\\begin{pmatrix} 1 \\\\ 2 \\\\ -3 \\end{pmatrix}', '\\begin{bmatrix}1\\\\2\\\\-3\\end{bmatrix}'],
    ['\\begin{bmatrix}16 & -2 \\\\ 0 & 4 \\end{bmatrix}', '\\begin{pmatrix}16 & -2 \\\\ 0 & \\frac{8}{2} \\end{pmatrix}']]);
  differ([['\\begin{pmatrix} -6 \\\\ 16 \\\\ 5 \\end{pmatrix}', '\\begin{pmatrix} -7 \\\\ 16 \\\\ 5 \\end{pmatrix}'],
    ['\\begin{pmatrix} 1 & 2 \\end{pmatrix}', '\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}']]);
});

test('units, \\text{}, degrees, percent, dollars, x= prefixes and base subscripts are ignored', () => {
  same([['864', '864 \\mbox{ inches}^2'], ['850\\text{ cm}', '850'], ['15 cm²', '15\\mbox{ cm}^2'], ['84 \\text{ degrees}', '84^{\\circ}'], ['90°', '90'],
    ['50\\%', '50'], ['\\$40', '40'], ['x = 27', '27'], ['m-1', 'k=m-1'], ['40', '40_9'], ['1011_{2}', '1011'], ['\\text{5}', '5'], ['\\mathbf{47}', '47.0'],
    ['5\\text{ m}^2', '5'], ['12\\ \\text{s}', '12'], ['\\text{(C)}', 'C'], ['\\textbf{(C)}', '(C)'], ['245 yd..', '245 yd.'], ['\\text{Navin}', 'Navin']]);
  differ([['5m', '5'], ['\\text{m}', '5'], ['171', '9^\\circ'], ['\\text{Navin}', '\\text{Nivan}'], ['C', 'D'], ['850\\text{ cm}', '851']]);
});

test('thousands separators: {,} \\, \\! and commas where unambiguous', () => {
  same([['86{,}231', '086231'], ['7,294,927', '7294927'], ['1\\,007', '1007'], ['10,\\!080', '10080'], ['58500.', '58,500'], ['\\$1,000', '1000']]);
  differ([['15,400', '14400'], ['(10,100)', '10100'], ['1, 331', '1331']]);
});

test('equations and inequalities: sides may swap, terms may reorder, the relation must match', () => {
  same([['y = 3+2x', 'y = 2x + 3'], ['2x+3=y', 'y=2x+3'], ['x\\ley', '$x \\leq y$'], ['y \\geq x', 'x \\le y'], ['f(x) = x.', 'f(x) = x']]);
  differ([['f(x) = -(x)', 'f(x) = x'], ['x \\le y', 'x < y'], ['y = 2x - 3', 'y = 2x + 3']]);
});

test('trailing periods, wrappers and spacing commands do not matter', () => {
  same([['17.', '17'], ['12.24.', '12.24'], ['\\frac{\\sqrt{5} - 1}{2}.', '\\frac{\\sqrt{5} - 1}{2}'], ['(-\\infty, 2) \\cup (3, \\infty).', '(-\\infty, 2) \\cup (3, \\infty)'],
    ['\\displaystyle \\frac{2}{3}', '\\frac{2}{3}'], ['{77}', '77'], ['$\\[\\frac{1}{2}\\]$', '\\[\\frac{1}{2}\\]'], ['($\\frac{12}{5}$)', '$\\frac{12}{5}$'],
    ['\\displaystyle 3:4:5', '3:4:5'], ['2\\cdot\\sqrt{2}', '2 \\sqrt{2}'], ['\\sqrt{13} \\cdot 5', '5\\sqrt{13}'], ['10 \\\\', '10']]);
  differ([['3:4:5', '3:5:4']]);
});

test('huge values are compared without being built; garbage is never equal', () => {
  differ([['10^{10^{10}}', '100'], ['9^{9^{9}}', '9'], ['1000000!', '1'], ['2^{2^{2^{2^{2}}}}', '2'], ['\x00\ufffd\u202e5', '5']]);
  assert.equal(compareAnswers('10^{10^{10}}', '100'), 'unknown');
  assert.equal(compareAnswers('1'.repeat(20000), '1'), 'unknown');
});

test('answersEquivalent follows compareAnswers in strict mode', () => {
  assert.equal(answersEquivalent('\\frac{1}{2}', '0.5'), true);
  assert.equal(answersEquivalent('0.333', '\\frac13'), false);
  assert.equal(answersEquivalent('', '1'), false);
});

test('a two-part ratio equals its quotient; two ratios compare part by part (clock times stay apart)', () => {
  same([['4:1', '4'], ['4/3', '4:3'], ['3:2', '1.5'], ['2:5', '0.4'], ['\\frac{7}{3}', '7 : 3'], ['1: 14', '\\frac{1}{14}']]);
  differ([['4:1', '1:4'], ['4:1', '\\frac14'], ['4/3', '3:4'], ['5:1', '6'], ['2:1', '1'], ['1:1', '\\frac13'], ['9:3:1', '9:1:1'], ['2:05', '4:10'],
    ['7:38', '6:19,7:38'], ['1:2:3', '1']]);
});

test('a column (or row) vector equals the ordered tuple of its entries, in order', () => {
  const v = '\\begin{pmatrix} -2 \\\\ -14 \\\\ -7 \\end{pmatrix}';
  same([[v, '(-2, -14, -7)'], [v, '\\langle -2, -14, -7 \\rangle'], [v, '[-2, -14, -7]'], ['\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}', '\\left(\\frac{1}{5}, -\\frac{18}{5}\\right)'],
    ['\\begin{pmatrix} 3 & 1 \\end{pmatrix}', '(3, 1)']]);
  differ([[v, '(-2, -7, -14)'], [v, '(-2, -14, -7, 0)'], [v, '(-2, -14)'], [v, '\\{-2, -14, -7\\}'], ['\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}', '(1, 2, 3, 4)']]);
});

test('a last equation naming the quantity reads as its right-hand side against a plain gold', () => {
  same([['\\log_8 2 = \\frac{1}{3}', '\\frac13'], ['\\cos 0 = 1', '1'], ['f(3) = 10', '10'], ['P(E) = \\frac18', '0.125'], ['S_{10} = 7', '7']]);
  differ([['x + y = 5', '5'], ['2x = 10', '5'], ['\\cos 0 = 1', '0'], ['f(3) = 10', '3']]);
});
