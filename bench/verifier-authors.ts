// Authors-mode verifier bench: agreement with the original Python reward (ref_ttrl in verifier/dev.jsonl)
// by kind, the disagreements, and speed (items/s, p50/p99 latency on ordinary items, worst pathological).
// Run through bench/run.ts, or alone: node --import tsx -e "import('./bench/verifier-authors.ts').then((m) => m.run())"
import { loadVerifierCorpus, type VerifierItem } from '../lib/data';
import { authorsVerify } from '../lib/verifier/authors';

interface Timed {
  item: VerifierItem;
  correct: boolean;
  reason: string;
  ms: number;
}

function gradeAll(items: VerifierItem[], deadlineMs?: number): Timed[] {
  return items.map((item) => {
    const isPred = item.pred !== undefined;
    const text = isPred ? (item.pred as string) : (item.response as string);
    const t = performance.now();
    const v = authorsVerify(text, item.gold, { isPred, deadlineMs });
    return { item, correct: v.correct, reason: v.reason, ms: performance.now() - t };
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Prints agreement with ref_ttrl and timings; returns the numbers for callers that want them. */
export async function run(log: (line: string) => void = console.log) {
  const items = loadVerifierCorpus();
  gradeAll(items.slice(0, 50)); // warm-up: regex compilation and JIT are a one-off cost per process
  const t0 = performance.now();
  const results = gradeAll(items); // the default 50 ms deadline, as a reward would run
  const wallMs = performance.now() - t0;

  const byKind = new Map<string, { n: number; agree: number }>();
  const disagreements: string[] = [];
  let limited = 0;
  for (const r of results) {
    if (r.reason === 'limit_exceeded') limited++;
    if (r.item.ref_ttrl === null) continue;
    const row = byKind.get(r.item.kind) ?? { n: 0, agree: 0 };
    row.n++;
    if (r.correct === r.item.ref_ttrl) row.agree++;
    else disagreements.push(`  ${r.item.id} ${r.item.kind}: ours ${r.correct} (${r.reason}), ref_ttrl ${r.item.ref_ttrl}, gold ${JSON.stringify(r.item.gold)}`);
    byKind.set(r.item.kind, row);
  }
  log('agreement with ref_ttrl (items where it is not null):');
  let n = 0;
  let agree = 0;
  for (const [kind, row] of [...byKind].sort()) {
    log(`  ${kind.padEnd(20)} ${row.agree}/${row.n}  ${((100 * row.agree) / row.n).toFixed(1)}%`);
    n += row.n;
    agree += row.agree;
  }
  log(`  ${'all'.padEnd(20)} ${agree}/${n}  ${((100 * agree) / n).toFixed(1)}%`);
  log(disagreements.length === 0 ? 'no disagreements' : `disagreements:\n${disagreements.join('\n')}`);

  const ordinary = results.filter((r) => r.item.kind !== 'pathological').map((r) => r.ms).sort((a, b) => a - b);
  const patho = results.filter((r) => r.item.kind === 'pathological').sort((a, b) => b.ms - a.ms);
  const ordinaryTotal = ordinary.reduce((a, b) => a + b, 0);
  log(`speed: ${items.length} items in ${wallMs.toFixed(0)} ms (${((1000 * items.length) / wallMs).toFixed(0)} items/s overall)`);
  log(
    `  ordinary ${ordinary.length}: ${((1000 * ordinary.length) / ordinaryTotal).toFixed(0)} items/s, ` +
      `p50 ${quantile(ordinary, 0.5).toFixed(3)} ms, p99 ${quantile(ordinary, 0.99).toFixed(3)} ms, max ${ordinary[ordinary.length - 1].toFixed(1)} ms`,
  );
  log(`  pathological ${patho.length}: max ${patho[0]?.ms.toFixed(1)} ms (${patho[0]?.item.id}), limit_exceeded verdicts overall: ${limited}`);
  return { agreement: agree / n, n, disagreements: disagreements.length, itemsPerSecond: (1000 * items.length) / wallMs };
}
