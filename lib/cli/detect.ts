// `rlvr detect`: run code-reasoning / repetition detectors over a JSON-lines field and add their
// outputs to each line under "detect"; a summary (hit rates, strategies, agreement of the paper's
// detector with the classifier) goes to stderr, or to stdout with --summary-only / --out.
import type { CliCommand } from './command';
import { UsageError } from './command';
import { parseCommandArgs } from './args';
import { DataError, readJsonl, writeFileAtomic } from '../util';
import { DETECTORS, getDetector, type Detection, type DetectorName } from '../detectors';

const USAGE = `usage: rlvr detect FILE.jsonl [--detector NAME]... [--field response] [--where FIELD=VALUE] [--out FILE] [--summary-only]

Adds {"detect": {NAME: {hit, label, details}}} to each line and prints a summary.

Options:
  --detector NAME   one of ${Object.keys(DETECTORS).join(', ')} (repeatable; default: all)
  --field F         the text field to read (default: response)
  --where F=V       only lines whose field F equals V as a string (e.g. kind=real-response)
  --out FILE        write the lines here (atomically); the summary goes to stdout
  --summary-only    print only the summary
`;

export const detectCommand: CliCommand = {
  name: 'detect',
  summary: 'code-reasoning and repetition detectors over JSONL responses, with a summary',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      detector: { type: 'string', multiple: true },
      field: { type: 'string' },
      where: { type: 'string' },
      out: { type: 'string' },
      'summary-only': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one FILE.jsonl, received ${positionals.length}`);
    const names = (values.detector && values.detector.length ? values.detector : Object.keys(DETECTORS)) as string[];
    const detectors = names.map((n) => {
      try {
        return [n, getDetector(n)] as const;
      } catch (e) {
        throw new UsageError(`--detector: ${(e as Error).message}`);
      }
    });
    const field = values.field ?? 'response';
    let where: [string, string] | null = null;
    if (values.where !== undefined) {
      const eq = values.where.indexOf('=');
      if (eq <= 0) throw new UsageError(`--where must be FIELD=VALUE, received "${values.where}"`);
      where = [values.where.slice(0, eq), values.where.slice(eq + 1)];
    }

    const file = positionals[0];
    const records = readJsonl(file).filter((r) => !where || String(r.value[where[0]]) === where[1]);
    const results: Record<string, Detection>[] = [];
    const out: string[] = [];
    for (const rec of records) {
      const text = rec.value[field];
      if (typeof text !== 'string') throw new DataError({ file, line: rec.line, field }, text === undefined ? 'missing (choose the text field with --field)' : `expected a string, received ${typeof text}`);
      const detect: Record<string, Detection> = {};
      for (const [name, fn] of detectors) detect[name] = fn(text);
      results.push(detect);
      out.push(JSON.stringify({ ...rec.value, detect }));
    }

    const summary = summarize(results, names, records.length);
    if (values['summary-only']) io.out(summary);
    else if (values.out) {
      writeFileAtomic(values.out, out.join('\n') + (out.length ? '\n' : ''));
      io.out(summary + `wrote ${values.out}\n`);
    } else {
      io.out(out.join('\n') + (out.length ? '\n' : ''));
      io.err(summary);
    }
    return 0;
  },
};

function summarize(results: Record<string, Detection>[], names: readonly string[], n: number): string {
  const pct = (k: number) => (n ? `${((100 * k) / n).toFixed(1)}%` : 'n/a');
  const lines = [`${n} texts`];
  for (const name of names) {
    const hits = results.filter((r) => r[name].hit).length;
    lines.push(`  ${name}: ${hits} hits (${pct(hits)})`);
    if ((name as DetectorName) === 'code_reasoning') {
      const by = new Map<string, number>();
      for (const r of results) by.set(r[name].label, (by.get(r[name].label) ?? 0) + 1);
      lines.push(`    strategies: ${[...by].map(([k, v]) => `${k} ${v}`).join(', ')}`);
      const imagined = results.filter((r) => r[name].details.imaginedOutput === true).length;
      lines.push(`    imagined output: ${imagined}`);
    }
  }
  if (names.includes('mentions_python') && names.includes('code_reasoning')) {
    const agree = results.filter((r) => r.mentions_python.hit === r.code_reasoning.hit).length;
    const paperOnly = results.filter((r) => r.mentions_python.hit && !r.code_reasoning.hit).length;
    const classifierOnly = results.filter((r) => !r.mentions_python.hit && r.code_reasoning.hit).length;
    lines.push(`  agreement mentions_python vs code_reasoning: ${agree}/${n} (${pct(agree)}); paper only ${paperOnly}, classifier only ${classifierOnly}`);
  }
  return lines.join('\n') + '\n';
}
