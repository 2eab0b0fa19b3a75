// `ttt`, the TTRL reward (spec §3.13): the estimated label is the most common extracted answer
// among the group (Counter order: ties to the first seen; empty answers count as votes), and a
// sample earns 1 iff grade_answer(estimated label, its answer) holds. The caller passes the
// voting set as the group (TTRL keeps the first 16 of 64 samples).
//
// Mode choices: extraction and comparison use the configured verifier mode.
//   authors: the original, argument order included (label as the prediction, the sample's
//            answer as the reference); an empty majority rewards every empty answer, because
//            grade_answer('', '') is true.
//   strict:  an empty answer (no extractable answer) never earns 1, and the comparison is the
//            strict verifier's equivalence.
// Voting itself is always by exact string, as Counter does.
import { answersEquivalent, extractAnswer } from '../verifier';
import type { BaseRewardFn } from './types';
import { countVotes } from './votes';

export const tttReward: BaseRewardFn = (group, ctx) => {
  const answers = group.completions.map((c) => extractAnswer(c, { mode: ctx.mode, r1Style: ctx.r1Style }) ?? '');
  if (answers.length === 0) return [];
  const label = countVotes(answers, { skipEmpty: false })[0].answer;
  const graded = new Map<string, number>(); // one comparison per distinct answer
  return answers.map((a) => {
    let r = graded.get(a);
    if (r === undefined) {
      r = ctx.mode === 'strict' && (a === '' || label === '') ? 0 : answersEquivalent(label, a, { mode: ctx.mode }) ? 1 : 0;
      graded.set(a, r);
    }
    return r;
  });
};
