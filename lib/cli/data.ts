// PLACEHOLDER: replaced by the module that implements `rlvr data`.
import type { CliCommand } from './command';

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'not implemented yet',
  usage: 'rlvr data',
  async run(_argv, io) { io.err('rlvr data: not implemented yet\n'); return 1; },
};
