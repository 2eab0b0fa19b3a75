// `rlvr data`: where data files are looked for, what is there, and downloading the public datasets.
import { existsSync } from 'node:fs';
import { UsageError, type CliCommand, type CliIo } from './command';
import { parseCommandArgs } from './args';
import {
  DATA_DIR_ENV,
  SOURCE_BASE_ENV,
  dataCatalog,
  dataDirs,
  defaultPullDest,
  findProjectRoot, PROJECT_ROOT_ENV,
  pullDatasets,
  selectManifest,
  type DataOptions,
  type PullResult,
} from '../data';

const USAGE = `usage: rlvr data <where|list|pull> [options]

  rlvr data where [--data-dir DIR]
      The directories data files are looked for in, in order.
  rlvr data list [--data-dir DIR] [--check]
      Every known data file, its size, and where it resolves now (--check also verifies the sha256 of files found).
  rlvr data pull [--dest DIR] [--only NAME ...] [--source-base URL] [--retries N]
      Download the public Rethink_RLVR files (pinned by sha256) into DIR (default: ${DATA_DIR_ENV}, else <project>/data).
      NAME is a dataset (math500, aime2024, amc, deepscaler-level3, mv-qwen2.5_7b-incorrect, ...), an entry (amc/test)
      or an upstream folder (AMC-TTT); repeat --only, separate names with commas, or list them after "pull".
      --source-base replaces the URL prefix (also ${SOURCE_BASE_ENV}). Files already present and verified are skipped.

Resolution order for every loader: --data-dir / dataDir option > ${DATA_DIR_ENV} > <project>/data > <project>/../shared/data.
`;

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'where data is looked for, what is there, and `pull` to download the public datasets',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
      case 'where':
        return where(rest, io);
      case 'list':
        return list(rest, io);
      case 'pull':
        return pull(rest, io);
      case undefined:
        throw new UsageError('missing sub-command (where, list or pull)');
      default:
        throw new UsageError(`unknown sub-command "${sub}"; known: where, list, pull`);
    }
  },
};

function noPositionals(positionals: string[], sub: string): void {
  if (positionals.length > 0) throw new UsageError(`rlvr data ${sub} takes no arguments, received: ${positionals.join(' ')}`);
}

function where(argv: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(argv, { 'data-dir': { type: 'string' } });
  noPositionals(positionals, 'where');
  const opts: DataOptions = { dataDir: values['data-dir'] };
  const root = findProjectRoot() ?? process.env[PROJECT_ROOT_ENV];
  io.out(`project root: ${root || '(none found above the current directory)'}\n`);
  const dirs = dataDirs(opts);
  if (dirs.length === 0) {
    io.out(`no data directories: pass --data-dir or set ${DATA_DIR_ENV}\n`);
    return 1;
  }
  io.out(`data directories, in lookup order${dirs.length === 1 ? ' (explicit: used alone)' : ' (first one with the file wins)'}:\n`);
  dirs.forEach((d, i) => io.out(`  ${i + 1}. ${d.dir}  [${d.origin}]${existsSync(d.dir) ? '' : '  (does not exist)'}\n`));
  return 0;
}

function list(argv: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs(argv, { 'data-dir': { type: 'string' }, check: { type: 'boolean' } });
  noPositionals(positionals, 'list');
  const rows = dataCatalog({ dataDir: values['data-dir'], check: values.check === true });
  const table = rows.map((r) => [
    r.name,
    r.records !== undefined ? String(r.records) : '-',
    r.bytes !== undefined ? formatBytes(r.bytes) : '-',
    r.resolved
      ? `${r.resolved.origin}: ${r.resolved.path}${r.verified === false ? '  CHECKSUM MISMATCH' : r.verified ? '  (verified)' : ''}`
      : r.pullable ? 'missing (rlvr data pull)' : 'missing (not downloadable; comes with shared/data)',
  ]);
  io.out(formatTable(['dataset', 'records', 'size', 'resolves to'], table));
  const missing = rows.filter((r) => !r.resolved).length;
  const bad = rows.filter((r) => r.verified === false).length;
  io.out(`\n${rows.length} files, ${rows.length - missing} found, ${missing} missing${values.check ? `, ${bad} failed verification` : ''}\n`);
  return bad > 0 ? 1 : 0;
}

async function pull(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    dest: { type: 'string' },
    only: { type: 'string', multiple: true },
    'source-base': { type: 'string' },
    retries: { type: 'string' },
  });
  const only = [...(values.only ?? []), ...positionals].flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  let retries: number | undefined;
  if (values.retries !== undefined) {
    retries = Number(values.retries);
    if (!Number.isInteger(retries) || retries < 0) throw new UsageError(`--retries must be a non-negative integer, received "${values.retries}"`);
  }
  try {
    selectManifest(only); // unknown names are a usage error, before anything is fetched
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const dest = values.dest ?? defaultPullDest();
  io.out(`pulling into ${dest}\n`);
  const results = await pullDatasets({
    dest,
    only,
    sourceBase: values['source-base'],
    retries,
    onResult: (r) => io.out(`  ${describeResult(r)}\n`),
    onRetry: (e, attempt, problem) => io.err(`  ${e.name}: attempt ${attempt} failed (${problem}); retrying\n`),
  });
  const count = (s: PullResult['status']) => results.filter((r) => r.status === s).length;
  const failed = results.filter((r) => r.status === 'failed');
  io.out(`${count('downloaded')} downloaded, ${count('skipped')} already present and verified, ${failed.length} failed\n`);
  for (const f of failed) io.err(`rlvr data pull: ${f.name}: ${f.message}\n`);
  return failed.length > 0 ? 1 : 0;
}

function describeResult(r: PullResult): string {
  switch (r.status) {
    case 'skipped':
      return `ok    ${r.name} (already present, sha256 verified)`;
    case 'downloaded':
      return `got   ${r.name} (${formatBytes(r.bytes)}${r.attempts > 1 ? `, ${r.attempts} attempts` : ''})${r.message ? `; ${r.message}` : ''}`;
    case 'failed':
      return `FAIL  ${r.name}`;
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n';
  return line(header) + rows.map(line).join('');
}
