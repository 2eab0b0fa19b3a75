// An organism as a GRPO training task: prompts "a+b=" of the train split, labels per the config
// (true sums; the organism's own majority votes; only its wrong majority votes; one problem), the
// organism's checkpoint as the initial policy, and completions rendered for the rewards.
// With forceCode the code token is prefilled (Table 3's "Let's solve this using Python." analogue)
// and rewards see it as the completion's start, as they would a forced response prefix.
import type { OrganismTaskConfig, TaskItem, TrainTask } from '../grpo/train';
import { loadCheckpoint } from '../models';
import { CHAR_EOS_ID, CHAR_PAD_ID } from '../tokenizers';
import { createRng } from '../util';
import { organismTokenizer, slips, STYLE_CHAR } from './corpus';
import { family as familyByName, type Family } from './families';
import { promptIds } from './metrics';
import { defaultOrganismDir, readMvLabels, readOrganism } from './organism';
import { problemSplit, problemText, sampleProblems, sumOf, type Problem } from './problems';
import { renderCompletion } from './render';

/** Seed of the fixed order in which one-shot candidates are tried. */
export const ONE_SHOT_SEED = 1;

/**
 * A family's one-shot problem, by the One-Shot RLVR paper's criterion (a training example whose samples
 * disagree, so that its rewards vary): the first training problem, in a fixed seeded order, on which
 * the family's two styles differ in correctness. A one-style family (No-Code) takes the first problem of
 * that order. Chosen from the corpus rules alone, never from a training outcome. (A first version drew
 * one problem for all families; for Good-Code it was 25+48, wrong in both styles, so every reward of
 * the group was equal and one-shot training could not move at all.)
 */
export function oneShotProblem(f: Family): Problem {
  const train = problemSplit().train;
  const order = sampleProblems(train, train.length, createRng(ONE_SHOT_SEED).fork('one-shot').int(2 ** 31));
  if (f.codeAccuracy === null) return order[0];
  const found = order.find((p) => slips(f, 'code', p) !== slips(f, 'language', p));
  if (found === undefined) throw new Error(`family ${f.name}: no problem where the styles disagree`);
  return found;
}

const item = (p: Problem, label: string): TaskItem => ({ prompt: problemText(p), label, gold: String(sumOf(p)) });

/** The training items of a task config (reads mv-labels.json for the majority-vote kinds). */
export function organismItems(cfg: OrganismTaskConfig, dir: string): TaskItem[] {
  switch (cfg.labels) {
    case 'gold':
      return problemSplit().train.map((p) => item(p, String(sumOf(p))));
    case 'one-shot': {
      const p = oneShotProblem(familyByName(cfg.family));
      return [item(p, String(sumOf(p)))];
    }
    case 'majority-vote':
    case 'incorrect': {
      const labels = readMvLabels(dir).filter((l) => cfg.labels === 'majority-vote' || !l.correct);
      if (labels.length === 0) throw new Error(`${dir}: the organism has no ${cfg.labels} labels to train on`);
      return labels.map((l) => item(l, l.label));
    }
  }
}

const PROMPT = /^(\d+)\+(\d+)=$/;

export function createOrganismTask(cfg: OrganismTaskConfig): TrainTask {
  const f = familyByName(cfg.family);
  const dir = cfg.checkpoint ?? defaultOrganismDir(f.name);
  const rec = readOrganism(dir);
  if (rec.family !== f.name) throw new Error(`${dir}: holds a ${rec.family} organism, but task.family is "${f.name}"`);
  const tok = organismTokenizer();
  const prefix = cfg.forceCode ? STYLE_CHAR.code : '';
  return {
    name: `organism ${f.name} (${cfg.labels} labels${cfg.forceCode ? ', code forced' : ''}) from ${dir}`,
    items: organismItems(cfg, dir),
    encodePrompt(prompt) {
      const m = PROMPT.exec(prompt);
      if (m === null) throw new Error(`organism task: prompt ${JSON.stringify(prompt)} is not "a+b="`);
      return promptIds({ a: Number(m[1]), b: Number(m[2]) }, cfg.forceCode ? 'code' : null);
    },
    decode: (ids) => renderCompletion(prefix + tok.decode(ids, { skipSpecialTokens: true })),
    eosIds: [CHAR_EOS_ID],
    padId: CHAR_PAD_ID,
    initialModel: () => loadCheckpoint(dir),
  };
}
