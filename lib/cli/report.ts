// `rlvr report DIR`: the self-contained HTML report of a grid results folder (lib/report).
import { parseCommandArgs } from './args';
import { UsageError, type CliCommand } from './command';
import { buildReport, REPORT_FILE, type BuiltReport } from '../report';

const USAGE = `usage: rlvr report DIR [--out FILE]

Builds one self-contained HTML file from a grid results folder: the folder \`rlvr grid collect\` writes
(data/results/<grid>) or a run folder of \`rlvr reproduce\`. It needs grid.json, cells.jsonl,
trajectories.jsonl, claims.json and provenance.json there. The report holds the claim-by-claim table
(paper's number, the organisms' effect with its 95 % interval, collapses, verdict), interactive figures
(plotly.js inlined once) of P(code) and expected accuracy over rollout batches per arm with bands over
seeds, and the configuration. Open it in any browser; it needs no network.

  --out FILE   where to write it (default DIR/${REPORT_FILE})
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
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the results folder: rlvr report DIR' : `expected one folder, received ${positionals.length}`);
    io.out(reportLine(buildReport(positionals[0], values.out)));
    return 0;
  },
};
