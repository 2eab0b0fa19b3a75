// The shape every `rlvr` sub-command has. Commands parse their own arguments and return an exit code.

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface CliCommand {
  name: string;
  /** One line for `rlvr --help`. */
  summary: string;
  /** Full usage text for `rlvr NAME --help`. */
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
