// Verifier benchmark on the labelled dev corpus (shared/data/verifier/dev.jsonl): accuracy, false positives
// and false negatives by kind for strict and authors mode next to the four stored reference graders, with
// and without the synthetic trailing-period items; the same for the lab's own additions (data/verifier/:
// additions-dev for tuning, additions-heldback never tuned on, so its score measures generalization); then
// strict-mode speed on one core (items/s, p50/p99 latency on ordinary items) and the slowest pathological item. ~5 s.
import { locateDataFile, loadVerifierCorpus, VERIFIER_ADDITIONS, VERIFIER_CORPUS_PATH, verifierAdditionsPath } from '../lib/data';
import { gradeItem, isTrailingPeriod, scoreCorpus, type GraderName, type KindScore, type LabelledItem } from '../lib/verifier';

/** Targets from shared/notes/verifier.md §9. */
export const TARGETS = { accuracy: 0.98, falsePositiveRate: 0.005, itemsPerSec: 10_000, p99Ms: 1, maxMs: 50 };

export interface VerifierSpeed {
  mode: 'strict' | 'authors';
  /** Ordinary (non-pathological) items per second, one core. */
  itemsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Slowest single call over every item (pathological included), with its id. */
  maxMs: number;
  slowestId: string;
  slowestNote: string;
}

export interface VerifierBenchResult {
  corpus: string;
  scores: KindScore[];
  scoresWithoutTrailingPeriod: KindScore[];
  /** Strict and authors mode on data/verifier/additions-{dev,heldback}.jsonl (no stored reference verdicts there). */
  additions: Record<keyof typeof VERIFIER_ADDITIONS, KindScore[]>;
  speed: VerifierSpeed[];
}

const GRADERS: GraderName[] = ['strict', 'authors', 'ref_ttrl', 'ref_qwen', 'ref_mathverify', 'ref_hendrycks'];
const SHORT: Record<GraderName, string> = {
  strict: 'strict', authors: 'authors', ref_ttrl: 'ttrl', ref_qwen: 'qwen', ref_mathverify: 'Math-Verify', ref_hendrycks: 'Hendrycks',
};

/** Kind rows, one column per grader present in `scores`: "accuracy (FP/FN)". */
export function formatScoreTable(scores: KindScore[]): string {
  const kinds = [...new Set(scores.map((s) => s.kind))];
  const graders = GRADERS.filter((g) => scores.some((x) => x.grader === g));
  const header = ['kind', 'n', ...graders.map((g) => SHORT[g])];
  const rows = kinds.map((k) => {
    const cells = graders.map((g) => {
      const s = scores.find((x) => x.kind === k && x.grader === g);
      return s ? `${(100 * s.accuracy).toFixed(1)}% (${s.falsePositives}/${s.falseNegatives})` : '-';
    });
    const n = scores.find((x) => x.kind === k)?.n ?? 0;
    return [k, String(n), ...cells];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Speed of one mode: timed passes over the ordinary items (after a warm-up), then every item 5 times. */
export function measureSpeed(items: readonly LabelledItem[], mode: 'strict' | 'authors', minMs = 1000): VerifierSpeed {
  const ordinary = items.filter((it) => it.kind !== 'pathological');
  const call = (it: LabelledItem): boolean => gradeItem(it, mode); // default 50 ms deadline
  for (const it of ordinary) call(it); // warm-up (JIT)
  const lat: number[] = [];
  let busy = 0;
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const it of ordinary) {
      const t0 = performance.now();
      call(it);
      const dt = performance.now() - t0;
      lat.push(dt);
      busy += dt;
      count++;
    }
  }
  lat.sort((a, b) => a - b);
  let maxMs = 0;
  let slowest: LabelledItem = items[0];
  for (const it of items) {
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      call(it);
      const dt = performance.now() - t0;
      if (dt > maxMs) {
        maxMs = dt;
        slowest = it;
      }
    }
  }
  return {
    mode,
    itemsPerSec: count / (busy / 1000),
    p50Ms: percentile(lat, 0.5),
    p99Ms: percentile(lat, 0.99),
    maxMs,
    slowestId: slowest.id,
    slowestNote: `${slowest.kind}, ${(slowest.pred ?? slowest.response ?? '').length.toLocaleString('en-US')} chars`,
  };
}

export async function run(log: (line: string) => void = console.log): Promise<VerifierBenchResult | null> {
  const found = locateDataFile(VERIFIER_CORPUS_PATH);
  if (!found) {
    log(`verifier: ${VERIFIER_CORPUS_PATH} not found in the data directories (see \`rlvr data where\`); skipped`);
    return null;
  }
  const corpus = found.path;
  const items = loadVerifierCorpus({ file: corpus });
  const trailing = items.filter(isTrailingPeriod).length;
  log(`verifier: ${items.length} labelled items from ${corpus}`);
  const scores = scoreCorpus(items);
  log(`\naccuracy (false positives / false negatives) by kind, all ${items.length} items:`);
  log(formatScoreTable(scores));
  const scoresWithoutTrailingPeriod = scoreCorpus(items, { withoutTrailingPeriod: true });
  log(`\nwithout the ${trailing} trailing-period items:`);
  log(formatScoreTable(scoresWithoutTrailingPeriod));

  const additions = { dev: [] as KindScore[], heldback: [] as KindScore[] };
  for (const split of ['dev', 'heldback'] as const) {
    const file = verifierAdditionsPath(split);
    const extra = loadVerifierCorpus({ file });
    additions[split] = scoreCorpus(extra, { references: false });
    const role = split === 'dev' ? 'tuned on' : 'never tuned on: generalization';
    log(`\n${VERIFIER_ADDITIONS[split]} (${extra.length} items, ${role}; no reference verdicts stored):`);
    log(formatScoreTable(additions[split]));
  }

  const speed = [measureSpeed(items, 'strict'), measureSpeed(items, 'authors', 500)];
  log('\nspeed, one core (ordinary items; max over every item incl. pathological, 5 runs each):');
  for (const s of speed) {
    log(`  ${s.mode.padEnd(7)} ${Math.round(s.itemsPerSec).toLocaleString('en-US').padStart(8)} items/s   p50 ${s.p50Ms.toFixed(3)} ms   p99 ${s.p99Ms.toFixed(3)} ms   max ${s.maxMs.toFixed(1)} ms (${s.slowestId}, ${s.slowestNote})`);
  }
  const st = speed[0];
  const verdict = (ok: boolean, name: string): string => `${ok ? 'ok' : 'MISSED'} ${name}`;
  log(`\nstrict-mode targets: ${[
    verdict(st.itemsPerSec >= TARGETS.itemsPerSec, `>= ${TARGETS.itemsPerSec.toLocaleString('en-US')} items/s`),
    verdict(st.p99Ms < TARGETS.p99Ms, `p99 < ${TARGETS.p99Ms} ms`),
    verdict(st.maxMs <= TARGETS.maxMs, `no item over ${TARGETS.maxMs} ms`),
  ].join('; ')}`);
  for (const [name, rows] of [['dev.jsonl', scores], ['additions-dev', additions.dev], ['additions-heldback', additions.heldback]] as const) {
    const all = rows.find((r) => r.grader === 'strict' && r.kind === 'all');
    if (!all) continue;
    log(`  ${name.padEnd(18)} ${verdict(all.accuracy >= TARGETS.accuracy, `accuracy >= ${100 * TARGETS.accuracy}%`)} (${(100 * all.accuracy).toFixed(2)}%); `
      + `${verdict(all.falsePositives / all.n <= TARGETS.falsePositiveRate, `false positives <= ${100 * TARGETS.falsePositiveRate}%`)} (${all.falsePositives} of ${all.n})`);
  }
  return { corpus, scores, scoresWithoutTrailingPeriod, additions, speed };
}

// Run directly: node --import tsx bench/verifier.ts
if (/[\\/]bench[\\/]verifier\.ts$/.test(process.argv[1] ?? '')) run().catch((e) => { console.error(e); process.exitCode = 1; });
