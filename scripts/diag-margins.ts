// Diagnostic: teacher-forced margins (canonical token's logit minus the best other logit) per completion
// position and style, on the first 400 held-out problems: mean / 5% quantile per position.
// Usage: node --import tsx scripts/diag-margins.ts FAMILY[=CHECKPOINT_DIR] ...
//   (no DIR: the shipped organism; a DIR: e.g. a grid run's checkpoints/step-000025)
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/tensor';
import { loadCheckpoint } from '../lib/models';
import { loadOrganismModel, defaultOrganismDir, family, problemSplit, canonicalCompletion, organismTokenizer, type Style } from '../lib/organisms';
import { promptIds } from '../lib/organisms/metrics';
import { CHAR_EOS_ID } from '../lib/tokenizers';

await initBackend();
const tok = organismTokenizer();
const dirs = process.argv.slice(2);
for (const spec of dirs) {
  const [fam, dir] = spec.split('=');
  const f = family(fam);
  const model = dir ? loadCheckpoint(dir) : loadOrganismModel(defaultOrganismDir(fam));
  const probs = problemSplit().heldOut.slice(0, 400);
  for (const style of (['code', 'language'] as Style[])) {
    const rows = probs.map((p) => {
      const comp = canonicalCompletion(f, p, style);
      return { ids: [...promptIds(p), ...tok.encode(comp), CHAR_EOS_ID], start: promptIds(p).length };
    });
    const T = Math.max(...rows.map((r) => r.ids.length));
    const ids = tf.tensor2d(rows.map((r) => [...r.ids, ...Array(T - r.ids.length).fill(0)]).flat(), [rows.length, T], 'int32');
    const logits = await (model.forward(ids) as tf.Tensor3D).array();
    const byPos: number[][] = [];
    rows.forEach((r, i) => {
      for (let t = r.start; t < r.ids.length; t++) {
        const lg = logits[i][t - 1]; const tgt = r.ids[t];
        let best = -Infinity; for (let v = 0; v < lg.length; v++) if (v !== tgt && lg[v] > best) best = lg[v];
        const k = t - r.start; (byPos[k] ??= []).push(lg[tgt] - best);
      }
    });
    const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(p * (s.length - 1))]; };
    console.log(fam, dir ?? '', style, byPos.map((xs, k) => `${k}:${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1)}/${q(xs, 0.05).toFixed(1)}`).join(' '));
  }
}
