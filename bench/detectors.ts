// Detector speed: hasRepetition on 200 KB texts (a loop it finds, a loop too long to count, and
// text that never repeats), next to a literal implementation of the authors' search; and the
// throughput of classifyReasoning and mentionsPython on ~1.2 KB math responses. ~6 s in all,
// most of it the literal baseline.
import { classifyReasoning, findRepetition, mentionsPython } from '../lib/detectors';
import { createRng } from '../lib/util';

export interface DetectorBenchRow {
  /** e.g. "hasRepetition 200 KB, no repeats". */
  case: string;
  /** Median milliseconds per call (repetition; the literal baseline is one run) or per item (classifiers). */
  ms: number;
  /** Items per second (classifiers), null for single large texts. */
  itemsPerSec: number | null;
  note: string;
}

const KB200 = 200 * 1024;
const WORDS = ['the', 'sum', 'of', 'roots', 'is', 'therefore', 'we', 'find', 'that', 'x', 'equals', 'and', 'so', 'on', 'let',
  'triangle', 'area', 'by', 'Vieta', 'substituting', 'gives', 'a', 'square', 'number', 'prime', 'factor', 'hence'];

/** Seeded prose-like text: random words, numbers and LaTeX bits, so no long pattern repeats. */
function prose(chars: number, seed: number): string {
  const rng = createRng(seed);
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const r = rng.next();
    const w = r < 0.1 ? String(rng.int(100000)) : r < 0.15 ? `$\\frac{${rng.int(90) + 1}}{${rng.int(90) + 2}}$` : WORDS[rng.int(WORDS.length)];
    parts.push(w);
    n += w.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

const time = (f: () => unknown, reps: number): number => {
  f();
  const ts = Array.from({ length: reps }, () => { const t0 = performance.now(); f(); return performance.now() - t0; });
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)];
};

/** The authors' search written literally (char compares, no slicing): the baseline to beat. */
function literalSearch(text: string): boolean {
  const n = text.length;
  for (let L = 10; L <= Math.min(256, Math.floor(n / 2)); L++) {
    for (let s = 0; s <= n - 10 * L; s++) {
      let copies = 1;
      outer: for (let j = s + L; j + L <= n; j += L) {
        for (let k = 0; k < L; k++) if (text.charCodeAt(j + k) !== text.charCodeAt(s + k)) break outer;
        copies++;
        if (copies >= 10) return true;
      }
    }
  }
  return false;
}

function responses(count: number, seed: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const body = prose(1200, seed * 1000 + i);
    if (rng.next() < 0.5) return body + '\nTherefore the answer is $\\boxed{' + rng.int(1000) + '}$.';
    return body.slice(0, 800) + '\n```python\nfrom sympy import *\nx = symbols("x")\nprint(solve(x**2 - 4, x))\n```\n```output\n[-2, 2]\n```\n' + body.slice(800) + ' \\boxed{2}';
  });
}

export async function run(log: (line: string) => void = console.log): Promise<DetectorBenchRow[]> {
  const rows: DetectorBenchRow[] = [];
  const add = (row: DetectorBenchRow) => {
    rows.push(row);
    log(`${row.case.padEnd(58)} ${row.ms.toFixed(3).padStart(10)} ms${row.itemsPerSec !== null ? `  ${Math.round(row.itemsPerSec).toLocaleString('en-US').padStart(9)} items/s` : ''}  ${row.note}`);
  };

  const plain = prose(KB200, 1);
  const loopEnd = prose(KB200 - 40 * 24, 2) + 'I think the answer is 4. '.repeat(40); // a 25-char loop at the end
  const longLoop = prose(300, 3).repeat(Math.ceil(KB200 / 300)).slice(0, KB200); // period 300 > 256: never counts
  // Worst case for the probe-and-extend search: runs of 99 a's (one short of ten 10-char copies)
  // between random letters, so nearly every probe matches and is extended without a hit.
  const sepRng = createRng(4);
  const nearMiss = Array.from({ length: Math.ceil(KB200 / 100) }, () => 'a'.repeat(99) + 'bcdefghijklmnopqrstuvwxyz'[sepRng.int(25)]).join('').slice(0, KB200);
  for (const [name, text, expect] of [
    ['200 KB, no repeats', plain, false],
    ['200 KB, near misses (99-char runs of one letter)', nearMiss, false],
    ['200 KB, 25-char loop at the end', loopEnd, true],
    ['200 KB, 300-char loop (longer than 256)', longLoop, false],
  ] as const) {
    const hit = findRepetition(text);
    if ((hit !== null) !== expect) throw new Error(`bench: hasRepetition(${name}) gave ${hit !== null}, expected ${expect}`);
    add({ case: `hasRepetition ${name}`, ms: time(() => findRepetition(text), 7), itemsPerSec: null, note: hit ? `hit L=${hit.patternLength} at ${hit.start}` : 'no hit' });
    const t0 = performance.now();
    const literal = literalSearch(text); // once: it takes seconds on the near-miss text
    const literalMs = performance.now() - t0;
    if (literal !== expect) throw new Error(`bench: literal search disagrees on ${name}`);
    add({ case: `  literal authors' search, same text`, ms: literalMs, itemsPerSec: null, note: 'baseline (char compares)' });
  }

  const degenerate = 'x = ' + '1+'.repeat(KB200 / 2) + '!'; // one 200 KB line of the kind a looping model writes
  add({ case: 'classifyReasoning 200 KB one-line loop', ms: time(() => classifyReasoning(degenerate), 5), itemsPerSec: null, note: classifyReasoning(degenerate).strategy });

  const texts = responses(2000, 5);
  const meanKb = texts.reduce((s, t) => s + t.length, 0) / texts.length / 1024;
  const msClassify = time(() => { for (const t of texts) classifyReasoning(t); }, 5) / texts.length;
  add({ case: `classifyReasoning (${texts.length} texts, ${meanKb.toFixed(1)} KB mean)`, ms: msClassify, itemsPerSec: 1000 / msClassify, note: 'half with code + output' });
  const msPython = time(() => { for (const t of texts) mentionsPython(t); }, 5) / texts.length;
  add({ case: 'mentionsPython (same texts)', ms: msPython, itemsPerSec: 1000 / msPython, note: 'the paper\'s detector' });
  const msRep = time(() => { for (const t of texts) findRepetition(t); }, 5) / texts.length;
  add({ case: 'hasRepetition (same texts)', ms: msRep, itemsPerSec: 1000 / msRep, note: 'as in no_repetition on rollouts' });
  return rows;
}

// Run directly: node --import tsx bench/detectors.ts
if (/[\\/]bench[\\/]detectors\.ts$/.test(process.argv[1] ?? '')) run().catch((e) => { console.error(e); process.exitCode = 1; });
