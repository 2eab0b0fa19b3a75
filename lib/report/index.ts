// Public API of lib/report: figure builders (plotly JSON, drawn by lib/notebook in notebooks and by
// the report), training curves over seeds shared by the organisms' and engine runs' figures, and the
// self-contained HTML report of a grid results folder (`rlvr report DIR`).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util';
import { renderReport, reportFigures } from './html';
import { readReportInput } from './read';
import { verdictCounts } from './claims-table';
import type { Verdict } from '../grid';

export { plotlyBundlePath, type PlotlyFigure, type PlotlyTrace } from './plotly';
export { intervalBars, intervalLines, type IntervalBarsOptions, type IntervalLinesOptions, type IntervalValue, type PointInterval } from './figures';
export { curveFigure, curvePoints, runsPerGroup, type CurveFigureOptions, type CurveOptions, type CurvePoint } from './curves';
export { claimEffectsFigure, trajectoryFigures, type ReportFigure } from './grid-figures';
export { claimsMarkdown, claimsBlockOf, gateMarkdown, readmeResultsBlock, replaceClaimsBlock, README_CLAIMS_BEGIN, README_CLAIMS_END } from './claims-markdown';
export { claimTableRows, expectationText, formatEffect, verdictCounts, type ClaimTableRow } from './claims-table';
export { readReportInput, VERDICTS, type ReportInput } from './read';
export {
  paperGain, paperGainRange, PAPER_CODE_FREQUENCY, PAPER_FIG7, PAPER_GAINS, PAPER_TABLE2,
  type PaperGain, type PaperPartialRow, type PaperTransitionRow, type TransitionLabel,
} from './paper-numbers';
export { renderReport, reportFigures } from './html';

export const REPORT_FILE = 'report.html';

export interface BuiltReport {
  file: string;
  bytes: number;
  figures: number;
  claims: number;
  /** Claim rows per verdict. */
  verdicts: { verdict: Verdict; rows: number }[];
}

/** Reads the results folder `dir` and writes its report (default `dir`/report.html) atomically. */
export function buildReport(dir: string, out: string = join(dir, REPORT_FILE)): BuiltReport {
  const input = readReportInput(dir);
  const figures = reportFigures(input);
  writeFileAtomic(out, renderReport(input, figures));
  return { file: out, bytes: statSync(out).size, figures: figures.length, claims: input.claims.length, verdicts: verdictCounts(input.claims) };
}
