// `rlvr demo`: the verifier end to end on the default data. MATH-500's
// gold answers graded against themselves, then the whole labelled verifier corpus (or a seeded sample)
// in both modes next to the paper's reference grader, false positives and negatives spelled out.
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { pct, textTable } from './text-table';
import { createRng, sampleIndices } from '../util';
import { loadBenchmark, loadVerifierCorpus, type VerifierItem } from '../data';
import { gradeItem, tallyByKind, verify, type LabelTally, type VerifierMode } from '../verifier';

const USAGE = `usage: rlvr demo [--sample N] [--seed S] [--data-dir DIR]

  1. Grades each of MATH-500's 500 gold answers against itself (as an extracted answer) in strict and
     authors mode: every one should be equal to itself; failures are listed, with the speed.
  2. Grades the labelled verifier corpus (verifier/dev.jsonl, 614 items) in both modes and prints
     accuracy, false positives (graded correct, labelled wrong) and false negatives (graded wrong,
     labelled correct) by kind, next to the stored verdicts of the paper's own grader (ref_ttrl).

  --sample    grade a seeded random sample of N items instead of all of them (default: all; 0 = all)
  --seed      seed of the sample (default 1)
  --data-dir  data directory (default: $RLVR_DATA_DIR, then data/, then ../shared/data)
`;

const MODES: readonly VerifierMode[] = ['strict', 'authors'];

/** A seeded sample of k items without replacement (partial Fisher-Yates), in corpus order. */
function sampleItems<T>(items: readonly T[], k: number, seed: number): T[] {
  if (k <= 0 || k >= items.length) return [...items];
  return sampleIndices(items.length, k, createRng(seed)).sort((a, b) => a - b).map((i) => items[i]);
}

/** "1 false positive", "49 false negatives". */
const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function headline(name: string, t: LabelTally): string {
  return `${name}: ${t.correct} of ${t.n} right (${pct(t.accuracy)}), ${count(t.falsePositives, 'false positive')}, ${count(t.falseNegatives, 'false negative')}`;
}

/** Throughput and time per unit, with their units: ['24,372 answers/s', '0.041 ms']. */
function speed(n: number, ms: number, unit: string): [string, string] {
  return [`${Math.round(n / (ms / 1000)).toLocaleString('en-US')} ${unit}/s`, `${(ms / n).toFixed(3)} ms`];
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the verifier demo: MATH-500 golds against themselves, then the whole labelled corpus with false positives and negatives',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      sample: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      'data-dir': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const k = Number(values.sample);
    const seed = Number(values.seed);
    if (!Number.isInteger(k) || k < 0) throw new UsageError(`--sample must be a whole number >= 0, received "${values.sample}"`);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, received "${values.seed}"`);
    const dataOpts = { dataDir: values['data-dir'] };

    const math500 = loadBenchmark('math500', dataOpts);
    io.out(`MATH-500 gold answers graded against themselves (${math500.length} problems)\n`);
    const selfRows: string[][] = [];
    for (const mode of MODES) {
      const t0 = performance.now();
      const failures = math500.filter((p) => !verify(p.answer, p.answer, { mode, isPred: true }).correct);
      selfRows.push([mode, `${math500.length - failures.length}/${math500.length}`, ...speed(math500.length, performance.now() - t0, 'answers'), failures.slice(0, 3).map((p) => JSON.stringify(p.answer)).join(' ')]);
    }
    io.out(textTable(['mode', 'equal to itself', 'speed', 'time per answer', 'first failures'], selfRows));
    io.out(`(authors-mode failures are the paper grader's own: it normalises the response's answer but not the gold)\n`);

    const corpus = loadVerifierCorpus(dataOpts);
    const sample = sampleItems<VerifierItem>(corpus, k, seed);
    const all = sample.length === corpus.length;
    io.out(`\nLabelled verifier corpus: ${all ? `all ${corpus.length} items` : `${sample.length} of ${corpus.length} items, a seeded sample (seed ${seed})`}\n`);
    const speeds: string[] = [];
    const tallies = MODES.map((mode) => {
      const t0 = performance.now();
      const verdicts = sample.map((it) => ({ kind: it.kind, label: it.label, verdict: gradeItem(it, mode) }));
      const [rate, each] = speed(sample.length, performance.now() - t0, 'items');
      speeds.push(`${mode} ${rate} (${each} per item)`);
      return tallyByKind(verdicts);
    });
    // A reference timeout (null) counts as a false verdict, as in scoreCorpus, so every column has the same n.
    const ref = tallyByKind(sample.map((it) => ({ kind: it.kind, label: it.label, verdict: it.ref_ttrl === true })));
    const rows = tallies[0].map((s, i) => {
      const a = tallies[1][i];
      const r = ref[i];
      return [s.kind, String(s.n), pct(s.accuracy), String(s.falsePositives), String(s.falseNegatives), pct(a.accuracy), String(a.falsePositives), String(a.falseNegatives), pct(r.accuracy), String(r.falsePositives), String(r.falseNegatives)];
    });
    io.out(textTable(['kind', 'n', 'strict', 'false pos.', 'false neg.', 'authors', 'false pos.', 'false neg.', 'paper grader', 'false pos.', 'false neg.'], rows));
    io.out('false positive: graded correct but labelled wrong (a reward for a wrong answer); false negative: graded wrong but labelled correct.\n');
    io.out('strict = true equivalence (the corpus\'s labelling policy); authors = the paper\'s `math` reward, reimplemented; paper grader = its stored verdicts (ref_ttrl).\n');
    io.out(`speed: ${speeds.join('; ')}\n\n`);
    const last = (t: LabelTally[]): LabelTally => t[t.length - 1];
    for (const [name, t] of [['strict', tallies[0]], ['authors', tallies[1]], ['paper grader', ref]] as const) io.out(`${headline(name, last(t))}\n`);
    return 0;
  },
};
