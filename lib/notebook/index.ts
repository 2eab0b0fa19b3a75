// Display helpers for notebooks (tslab) that also work in plain node. Nothing else in lib imports this folder:
// it takes plain data (records, arquero tables, plotly figures). The figure builders live in lib/report, which the
// grid's HTML report shares, and are re-exported here.
export type { MimeBundle, DisplaySink, ShowOptions } from './mime';
export { newDisplayId } from './mime';
export { inNotebook, notebookSink } from './kernel';
export { terminalSink, defaultSink, showTable, showConfig, showMarkdown, plot, type PlotCallOptions } from './display';
export { tableBundle, toTable, fromDanfo, formatInterval, type TableInput, type TableOptions, type DanfoLike } from './table';
export { intervalBars, intervalLines, type IntervalBarsOptions, type IntervalLinesOptions, type IntervalValue, type PointInterval } from '../report/figures';
export { curveFigure, curvePoints, type CurveFigureOptions, type CurvePoint } from '../report/curves';
export {
  plotBundle,
  figureJson,
  figureSummary,
  figureHtmlFallback,
  PLOTLY_MIME,
  type PlotlyFigure,
  type PlotlyTrace,
  type PlotOptions,
} from './plot';
export { findChromium, renderPng, closeRenderer, type PngOptions } from './chromium';
export {
  progressBar,
  progressLine,
  progressHtml,
  type ProgressBar,
  type ProgressOptions,
  type ProgressStream,
  type ProgressExtra,
  type ProgressState,
} from './progress';
export {
  stampNotebook,
  computeStamp,
  stampBundle,
  storedStamps,
  stampProblems,
  diffStampFiles,
  libraryClosure,
  closureHash,
  codeHash,
  fileHashes,
  notebookCode,
  relativeImports,
  resolveModule,
  STAMP_MIME,
  STAMP_VERSION,
  type NotebookStamp,
  type LibraryClosure,
  type StampOptions,
  type StampDiff,
} from './stamp';
