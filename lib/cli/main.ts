// Entry point of the `rlvr` command line: `rlvr <command> [options]`, `rlvr --help`.
import { COMMANDS } from './commands';
import { UsageError, type CliIo } from './command';
import { closestName } from '../util/registry';
import { finishProcess } from '../util/finish-process';

export { finishProcess };

/** A closed pipe (`rlvr ... | head`) ends the command quietly instead of crashing it. */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** The `usage:` lines at the head of a command's usage text (up to its first blank line). */
export function usageSynopsis(usage: string): string {
  const blank = usage.search(/\n\s*\n/);
  return (blank < 0 ? usage : usage.slice(0, blank)).trimEnd();
}

export async function main(argv: string[], io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const width = Math.max(...COMMANDS.map((c) => c.name.length));
    io.out(`usage: rlvr <command> [options]\n\ncommands:\n${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\nrlvr <command> --help shows a command's options.\n`);
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const close = closestName(name, COMMANDS.map((c) => c.name));
    io.err(`rlvr: unknown command "${name}"${close ? ` (did you mean "${close}"?)` : ''}; known: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`rlvr ${cmd.name}: ${e.message}\n${usageSynopsis(cmd.usage)}\n(rlvr ${cmd.name} --help shows every option)\n`);
      return 2;
    }
    io.err(`rlvr ${cmd.name}: ${(e as Error).message}\n`);
    return 1;
  }
}

// Run when executed directly (node --import tsx lib/cli/main.ts ...). No import.meta: tslab compiles lib to CommonJS.
const entry = process.argv[1] ?? '';
if (/[\\/]lib[\\/]cli[\\/]main\.ts$/.test(entry)) {
  exitQuietlyOnClosedPipe();
  main(process.argv.slice(2)).then(finishProcess);
}
