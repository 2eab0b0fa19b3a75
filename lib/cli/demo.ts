// PLACEHOLDER: replaced by the module that implements `rlvr demo`.
import type { CliCommand } from './command';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'not implemented yet',
  usage: 'rlvr demo',
  async run(_argv, io) { io.err('rlvr demo: not implemented yet\n'); return 1; },
};
