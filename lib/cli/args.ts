// The one argument parser of every `rlvr` sub-command. Node's parseArgs does the parsing; its error texts
// ("Unknown option '--mdoe'. To specify a positional argument starting with a '-', place it ... '-- "--mdoe")
// are replaced by short ones that name the option and, for a typo, the closest known one. A new command
// that parses through parseCommandArgs gets these messages without doing anything.
import { parseArgs } from 'node:util';
import { closestName } from '../util/registry';
import { UsageError } from './command';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string | boolean }>;

/** "--mode" or "-m" as the user would type it. */
function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * The first problem with the options in argv, as a one-line message, or null. Reads argv with parseArgs'
 * lenient tokenizer (which accepts anything) so that every option can be checked against the spec.
 */
export function optionProblem(argv: readonly string[], options: OptionSpec): string | null {
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const byShort = new Map(Object.entries(options).flatMap(([name, o]) => (o.short === undefined ? [] : [[o.short, name] as const])));
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const name = options[t.name] !== undefined ? t.name : byShort.get(t.name);
    if (name === undefined) {
      const near = closestName(t.name, Object.keys(options));
      return `unknown option ${t.rawName}${near ? ` (did you mean ${flag(near)}?)` : ''}`;
    }
    const spec = options[name];
    if (spec.type === 'boolean' && t.inlineValue) return `option ${flag(name)} takes no value, received "${t.rawName}=${t.value}"`;
    if (spec.type === 'string' && t.value === undefined) return `option ${flag(name)} needs a value`;
    // "--out --mode x": parseArgs would take "--mode" as the file name; an option-like value must be inline.
    if (spec.type === 'string' && !t.inlineValue && t.value !== undefined && t.value.startsWith('-') && t.value.length > 1) {
      return `option ${flag(name)} needs a value, received "${t.value}", which reads as an option (write ${flag(name)}=${t.value} if it is the value)`;
    }
  }
  return null;
}

/** Parses argv against `options`; an unknown, missing or misplaced option is a UsageError saying which. */
export function parseCommandArgs<T extends OptionSpec>(argv: string[], options: T) {
  const problem = optionProblem(argv, options);
  if (problem !== null) throw new UsageError(problem);
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // Not reached for the cases above; kept so that a future parseArgs check still ends as a usage error.
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
}

/** A flag's value as a positive integer (`dflt` when the flag is absent); anything else is a UsageError naming the flag. */
export function positiveInt(v: string | undefined, flag: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, received "${v}"`);
  return n;
}
