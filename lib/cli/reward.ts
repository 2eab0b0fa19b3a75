// PLACEHOLDER: replaced by the module that implements `rlvr reward`.
import type { CliCommand } from './command';

export const rewardCommand: CliCommand = {
  name: 'reward',
  summary: 'not implemented yet',
  usage: 'rlvr reward',
  async run(_argv, io) { io.err('rlvr reward: not implemented yet\n'); return 1; },
};
