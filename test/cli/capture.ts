// An in-memory CliIo for calling `main` in tests: what a command printed to stdout and stderr.
import type { CliIo } from '../../lib/cli/command';

export function capture(): { io: CliIo; readonly out: string; readonly err: string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; } }, get out() { return out; }, get err() { return err; } };
}
