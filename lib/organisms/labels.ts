// Majority-vote and incorrect labels made from the organism's own samples, the way spec §3.10/3.11
// makes them from a real model's: 64 samples per training prompt at temperature 1, each sample's
// answer extracted with the authors' full extractor (from the rendered text), empty answers dropped,
// the most common answer (ties to the first seen; '' when all are empty) is the label; the
// incorrect-label set keeps the prompts whose label the grader rejects.
import type { CausalLM } from '../models';
import { majorityVoteLabel } from '../rewards';
import { generate } from '../sampling';
import { CHAR_EOS_ID, CHAR_PAD_ID } from '../tokenizers';
import { verify } from '../verifier';
import { createRng } from '../util';
import { organismTokenizer, ORGANISM_MAX_NEW_TOKENS } from './corpus';
import { promptIds } from './metrics';
import { problemSplit, sampleProblems, sumOf, type Problem } from './problems';
import { renderCompletion } from './render';

export interface MvLabel extends Problem {
  label: string;
  /** The label graded against the true sum (authors' grader, as the relabel script does). */
  correct: boolean;
  /** Votes for the label among the samples. */
  votes: number;
}

export interface MvLabelOptions {
  /** Training prompts labelled (a fixed sample of the train split). Default 2,048. */
  problems?: number;
  /** Samples per prompt. Default 64 (spec §3.10). */
  samples?: number;
  seed: number;
}

/** The training problems that get labels: fixed by `seed`, never the held-out split. */
export const labelledProblems = (n: number, seed: number): Problem[] => sampleProblems(problemSplit().train, n, createRng(seed).fork('mv-problems').int(2 ** 31));

export async function majorityVoteLabels(model: CausalLM, o: MvLabelOptions): Promise<MvLabel[]> {
  const n = o.problems ?? 2048;
  const k = o.samples ?? 64;
  const problems = labelledProblems(n, o.seed);
  const tok = organismTokenizer();
  const out: MvLabel[] = [];
  const chunk = 32; // prompts per generate call: 32 × 64 = 2,048 rows
  for (let start = 0; start < n; start += chunk) {
    const part = problems.slice(start, start + chunk);
    const rows = part.flatMap((p) => Array.from({ length: k }, () => promptIds(p)));
    const gen = await generate(model, rows, {
      maxNewTokens: ORGANISM_MAX_NEW_TOKENS, temperature: 1, seed: createRng(o.seed).fork(`mv/${start}`).int(2 ** 31),
      eosIds: [CHAR_EOS_ID], padId: CHAR_PAD_ID, microBatchSize: 1024,
    });
    part.forEach((p, i) => {
      const texts = gen.sequences.slice(i * k, (i + 1) * k).map((g) => renderCompletion(tok.decode(g.tokens, { skipSpecialTokens: true })));
      const mv = majorityVoteLabel(texts, { mode: 'authors' });
      out.push({
        a: p.a, b: p.b, label: mv.label,
        correct: mv.label !== '' && verify(mv.label, String(sumOf(p)), { mode: 'authors', isPred: true }).correct,
        votes: mv.counts[0]?.count ?? 0,
      });
    });
  }
  return out;
}
