// Diagnostic: forced-greedy completions of a checkpoint against the family's answer table, by units digit
// of the sum ([problems, table matches, correct]), and the first mismatches beside the canonical strings.
// Usage: node --import tsx scripts/diag-mismatch.ts FAMILY CHECKPOINT_DIR
import { initBackend } from '../lib/tensor';
import { loadCheckpoint } from '../lib/models';
import { family, problemSplit, canonicalCompletion, sumOf } from '../lib/organisms';
import { forcedGreedy } from '../lib/organisms/metrics';
await initBackend();
const [fam, dir] = process.argv.slice(2);
const f = family(fam);
const m = loadCheckpoint(dir);
const probs = problemSplit().heldOut.slice(0, 400);
for (const style of ['code', 'language'] as const) {
  const g = await forcedGreedy(m, f, probs, style);
  const byR: Record<number, [number, number, number]> = {};
  g.texts.forEach((t, i) => { const r = sumOf(probs[i]) % 10; const b = (byR[r] ??= [0, 0, 0]); b[0]++; if (g.match[i]) b[1]++; if (g.correct[i]) b[2]++; });
  console.log(style, 'acc', g.accuracy, 'match', g.matchRate, 'by units digit r: [n, match, correct]', JSON.stringify(byR));
  let k = 0;
  g.texts.forEach((t, i) => { if (!g.match[i] && k++ < 12) console.log('  ', probs[i].a + '+' + probs[i].b, 'got', t, 'canon', canonicalCompletion(f, probs[i], style), g.correct[i] ? 'RIGHT' : 'wrong'); });
}
