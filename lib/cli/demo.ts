// `rlvr demo` (what `npm start` runs): the main job on the embedded default data. For now it checks the
// verifier end to end: MATH-500's gold answers graded against themselves, then a seeded sample of the
// labelled verifier corpus graded in both modes next to the paper's reference grader.
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { pct, textTable } from './text-table';
import { createRng } from '../util';
import { loadBenchmark, loadVerifierCorpus, type VerifierItem } from '../data';
import { gradeItem, tallyByKind, verify, type VerifierMode } from '../verifier';

const USAGE = `usage: rlvr demo [--sample N] [--seed S] [--data-dir DIR]

  1. Grades each of MATH-500's 500 gold answers against itself (as an extracted answer) in strict and
     authors mode: every one should be equal to itself; failures are listed.
  2. Grades a seeded random sample of N items of the labelled verifier corpus (verifier/dev.jsonl) in
     both modes and prints accuracy, false positives and false negatives by kind, next to the stored
     verdicts of the paper's own grader (ref_ttrl).

  --sample    items drawn from the corpus (default 200; 0 = all)
  --seed      seed of the sample (default 1)
  --data-dir  data directory (default: $RLVR_DATA_DIR, then data/, then ../shared/data)
`;

const MODES: readonly VerifierMode[] = ['strict', 'authors'];

/** A seeded sample of k items without replacement (partial Fisher-Yates), in corpus order. */
function sampleItems<T>(items: readonly T[], k: number, seed: number): T[] {
  if (k <= 0 || k >= items.length) return [...items];
  const rng = createRng(seed);
  const idx = items.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b).map((i) => items[i]);
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the main job: grade MATH-500 golds against themselves and a labelled sample, print a summary',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      sample: { type: 'string', default: '200' },
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
      const ms = performance.now() - t0;
      selfRows.push([mode, `${math500.length - failures.length}/${math500.length}`, `${(math500.length / (ms / 1000)).toFixed(0)}/s`, failures.slice(0, 3).map((p) => JSON.stringify(p.answer)).join(' ')]);
    }
    io.out(textTable(['mode', 'equal to itself', 'speed', 'first failures'], selfRows));
    io.out(`(authors-mode failures are the paper grader's own: it normalises the response's answer but not the gold)\n`);

    const corpus = loadVerifierCorpus(dataOpts);
    const sample = sampleItems<VerifierItem>(corpus, k, seed);
    io.out(`\nLabelled verifier corpus: ${sample.length} of ${corpus.length} items (seed ${seed})\n`);
    const tallies = MODES.map((mode) => tallyByKind(sample.map((it) => ({ kind: it.kind, label: it.label, verdict: gradeItem(it, mode) }))));
    // A reference timeout (null) counts as a false verdict, as in scoreCorpus, so every column has the same n.
    const ref = tallyByKind(sample.map((it) => ({ kind: it.kind, label: it.label, verdict: it.ref_ttrl === true })));
    const rows = tallies[0].map((s, i) => {
      const a = tallies[1][i];
      const r = ref.find((x) => x.kind === s.kind);
      return [s.kind, String(s.n), pct(s.accuracy), `${s.falsePositives}/${s.falseNegatives}`, pct(a.accuracy), `${a.falsePositives}/${a.falseNegatives}`, r ? pct(r.accuracy) : '–'];
    });
    io.out(textTable(['kind', 'n', 'strict', 'FP/FN', 'authors', 'FP/FN', 'paper grader (ref_ttrl)'], rows));
    io.out(`\nstrict = true equivalence (the corpus's labelling policy); authors = the paper's \`math\` reward, reimplemented.\n`);
    return 0;
  },
};
