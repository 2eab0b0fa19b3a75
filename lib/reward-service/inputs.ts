// Requests checked against what their reward reads (lib/rewards REWARD_INPUTS): a reward that compares
// with the label must get one. An empty label is what a wrong label column produces (TRL with the
// labels in `solution` and the adapter reading `answer`, OpenRLHF with a wrong --label_key): `math` would
// then score every completion against nothing, and a run would train on it for days.
import { rewardInputs } from '../rewards';
import { RequestError } from './protocol';
import type { ScoreJob } from './types';

export function checkLabels(job: ScoreJob): void {
  if (!rewardInputs(job.reward).label) return;
  const empty = job.items.findIndex((it) => it.label === '');
  if (empty < 0) return;
  const count = job.items.filter((it) => it.label === '').length;
  throw new RequestError(422, `labels[${empty}] is empty (${count} of ${job.items.length} labels are empty or missing), but reward "${job.reward}" compares each completion with its label. Check where the labels come from: OpenRLHF --data.label_key (--label_key), verl reward_model.ground_truth, TRL the adapter's label_column`);
}
