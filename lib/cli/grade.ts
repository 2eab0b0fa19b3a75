// PLACEHOLDER: replaced by the module that implements `rlvr grade`.
import type { CliCommand } from './command';

export const gradeCommand: CliCommand = {
  name: 'grade',
  summary: 'not implemented yet',
  usage: 'rlvr grade',
  async run(_argv, io) { io.err('rlvr grade: not implemented yet\n'); return 1; },
};
