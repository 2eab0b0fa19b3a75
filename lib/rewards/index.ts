// Public API of lib/rewards: the paper's rewards (spec §3) behind one RewardFn signature.
//   makeReward('math_AND_inverse_contain_python_wo_backticks', { verifierMode: 'authors' })
// One-shot RL (§3.12) and the incorrect-label reward (§3.11) are `math` on their datasets.
export type { RewardGroup, RewardFn, RewardOptions, RewardContext, BaseRewardFn } from './types';
export { REWARDS, REWARD_DESCRIPTIONS, REWARD_INPUTS, UNSUPPORTED_REWARDS, type RewardName, type RewardInputs, type UnsupportedRewardName } from './registry';
export { parseRewardName, formatRewardAst, type RewardAst } from './name';
export { makeReward, describeReward, rewardInputs } from './make';
export {
  majorityVoteLabel, buildMajorityVoteDataset,
  type MajorityVote, type MajorityVoteOptions, type MvProblem, type MvRecord, type MvDataset, type MvDatasetOptions,
} from './majority-vote';
export { countVotes, type VoteCount } from './votes';
export { rewardTable, type RewardTableItem, type RewardTableRow } from './table';
