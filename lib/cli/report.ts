// `rlvr report DIR`: the self-contained HTML report of a grid results folder (lib/report).
import { readFileSync } from 'node:fs';
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { buildReport, readmeResultsBlock, readReportInput, replaceClaimsBlock, REPORT_FILE, type BuiltReport } from '../report';
import { writeFileAtomic } from '../util';

const USAGE = `usage: rlvr report DIR [--out FILE] [--readme FILE]

Builds one self-contained HTML file from a grid results folder: the folder \`rlvr grid collect\` writes
(data/results/<grid>) or a run folder of \`rlvr reproduce\`. It needs grid.json, cells.jsonl,
trajectories.jsonl, claims.json and provenance.json there. The report holds the claim-by-claim table
(paper's number, the organisms' effect with its 95 % interval, collapses, verdict), interactive figures
(plotly.js inlined once) of P(code) and expected accuracy over rollout batches per arm with bands over
seeds, and the configuration. Open it in any browser; it needs no network.

  --out FILE     where to write it (default DIR/${REPORT_FILE})
  --readme FILE  also rewrite the short claim table between the claim markers of FILE (README.md)
`;

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** One line saying what was written. */
export function reportLine(r: BuiltReport): string {
  const verdicts = r.verdicts.map((v) => `${v.rows} ${v.verdict}`).join(', ');
  return `wrote ${r.file} (${mb(r.bytes)}; ${r.claims} claim rows: ${verdicts}; ${r.figures} figures)\n`;
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'one self-contained HTML report (claims, figures, configuration) from a grid results folder',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' }, readme: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the results folder: rlvr report DIR' : `expected one folder, received ${positionals.length}`);
    io.out(reportLine(buildReport(positionals[0], values.out)));
    if (values.readme !== undefined) {
      const input = readReportInput(positionals[0]);
      const table = readmeResultsBlock(input.claims, input.cells, input.spec.families);
      writeFileAtomic(values.readme, replaceClaimsBlock(readFileSync(values.readme, 'utf8'), table, values.readme));
      io.out(`rewrote the claim table in ${values.readme}\n`);
    }
    return 0;
  },
};
