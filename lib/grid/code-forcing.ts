// Claim 6, the code-forcing prompt (Table 3's analogue): on the initial organism, the accuracy with
// the code token prefilled (greedy) against the expected accuracy of its own style choice, per
// held-out problem, paired over the 800 problems (the only randomness is which problems; the
// organism is fixed, so this interval is over problems, not seeds).
import { tInterval } from '../eval';
import { expectedCorrect, family as familyByName, firstTokenProbs, forcedGreedy, loadOrganismModel, problemSplit, type FamilyName } from '../organisms';
import { verdictFor, type ClaimRow } from './claims';

const PAPER: Readonly<Record<string, string>> = {
  'good-code': 'Qwen2.5-Math-7B 49.4 -> 64.4 (+15.0)',
  'good-code-small': 'Qwen2.5-Math-1.5B 36.2 -> 60.4 (+24.2)',
  'bad-code': 'Qwen2.5-7B 41.6 -> 22.2 (-19.4)',
  'bad-code-sft': 'OLMo2-7B-SFT 21.4 -> 18.6 (-2.8)',
  'no-code': 'Llama3.1-8B-Instruct 36.8 -> 15.2 (-21.6); OLMo2-7B -1.2',
};

export async function codeForcingRow(familyName: FamilyName, organismDir: string): Promise<ClaimRow> {
  const f = familyByName(familyName);
  const problems = problemSplit().heldOut;
  const model = loadOrganismModel(organismDir);
  try {
    const probs = await firstTokenProbs(model, problems);
    const code = await forcedGreedy(model, f, problems, 'code');
    const lang = await forcedGreedy(model, f, problems, 'language');
    // The policy's own choice over the styles it learned (No-Code: language only) against code forced.
    const own = expectedCorrect(probs, f.pCode === 0 ? { language: lang.correct } : { code: code.correct, language: lang.correct });
    const diffs = problems.map((_, j) => Number(code.correct[j]) - own[j]);
    const effect = tInterval(diffs);
    const expect = f.group === 'Good-Code' ? 'gain' : 'loss';
    return {
      claim: 6, statement: `the code-forcing prompt ${expect === 'gain' ? 'helps' : 'hurts'} (${f.group})`, family: f.name,
      comparison: 'code forced vs own choice (paired over held-out problems)', metric: 'expectedAccuracy', expect, effect,
      collapses: {}, verdict: verdictFor(expect, effect), paper: PAPER[f.name],
    };
  } finally {
    model.dispose();
  }
}
