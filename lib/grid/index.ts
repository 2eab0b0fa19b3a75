// lib/grid: the organism grid (issue 9): families × arms × seeds as resumable GRPO runs, run in
// parallel processes, collected into tables, and the paper's claims tested on them.
export { ARMS, GRID_ALGO, GRID_PRESETS, cellKey, checkGridSpec, gridCells, gridPreset, gridPresetNames, type ArmSpec, type Cell, type GridSpec } from './spec';
export { cellSpec, cellTrainConfig, collapseOf, organismDigest, ACTIVE_STYLE, gridOrganismDir, runCell, sameCellSpec, type CellSpec, DONE_FILE, ORGANISM_LOG, type CellSummary, type OrganismLogRecord } from './run-cell';
export { cellDir, initGridDir, isCellDone, readGridSpec, runGrid, FAILURES_FILE, GRID_FILE, type GridEvent, type RunGridOptions } from './runner';
export { collectGrid, readGridResults, readResultsProvenance, reusableCells, trajectoryRow, type ReusableRun, writeGridResults, RESULT_FILES, type CollectedGrid, type ResultsProvenance, type TrajectoryRow } from './collect';
export {
  changeFromStart, claimRows, collapseCount, metricOf, pairedArmDifference, verdictFor, MIN_GAIN,
  type ClaimMetric, type ClaimRow, type CollapseCount, type Expectation, type Verdict,
} from './claims';
export { codeForcingRow } from './code-forcing';
export { probeFailure, probeSpec, tuneFamily, TUNING_RULE, type FamilyTuning, type ProbeResult, type TuneOptions, type TuningRule } from './tune';
export {
  armEffect, armRunValues, intactTrajectories, pairedRunValues, RUN_METRICS,
  type ArmEffect, type ArmEffectSpec, type MetricSpec, type RecordMetric, type RunMetricName, type RunValueKind, type SeedValue,
} from './arm-effects';
export { readFamilyTuning, tunedGridSpec, tuningDir, tuningFile, type TunedSpecOptions } from './tuned-spec';
export { gridResults, type GridResults, type RecomputeOptions } from './results-source';
export { describeGate, gateFromCells, gateProbeSpec, runGateProbes, GATE_ARMS, GATE_MAX_COLLAPSE_RATE, GATE_PROBE_SEEDS, type GateArm, type GateProbeOptions } from './gate';
export { gridStatus, wallHours, type GridStatus } from './status';
