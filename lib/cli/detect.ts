// PLACEHOLDER: replaced by the module that implements `rlvr detect`.
import type { CliCommand } from './command';

export const detectCommand: CliCommand = {
  name: 'detect',
  summary: 'not implemented yet',
  usage: 'rlvr detect',
  async run(_argv, io) { io.err('rlvr detect: not implemented yet\n'); return 1; },
};
