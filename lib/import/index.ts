// Public API of lib/import: training logs of OpenRLHF, verl and TRL -> arquero tables with the
// column names our trainer logs (schema.ts). `rlvr import --engine E FILE`.
export {
  METRIC_COLUMNS, METRIC_DESCRIPTIONS, ROLLOUT_COLUMNS,
  type Engine, type RunSource, type MetricColumn, type MetricValueColumn, type MetricRow, type RolloutColumn, type RolloutRow,
} from './schema';
export { ENGINE_FORMATS, type EngineFormat } from './engines';
export { importEngineLog, importEngineFile, importEngineFiles, metricsTable, rolloutsTable, type ImportOptions, type ImportResult } from './read';
