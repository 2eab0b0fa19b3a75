// Public API of the dataset layer: data-dir resolution, typed loaders, the one-shot example, and `pull`.
export {
  DATA_DIR_ENV,
  PROJECT_ROOT_ENV,
  dataDirs,
  findProjectRoot,
  locateDataFile,
  resolveDataFile,
  type DataDir,
  type DataDirOrigin,
  type DataOptions,
} from './paths';
export { readProblemFile, type ProblemRecord } from './json-array';
export { BENCHMARKS, benchmarkPath, loadBenchmark, type BenchmarkInfo, type BenchmarkName } from './benchmarks';
export {
  DEEPSCALER_LEVELS,
  deepScaleRLevelPath,
  loadDeepScaleR,
  loadDeepScaleRLevel,
  type DeepScaleRLevel,
  type DeepScaleROptions,
  type DeepScaleRRecord,
  type Split,
} from './deepscaler';
export {
  MV_MODELS,
  loadMajorityVoteLabels,
  mvLabelPath,
  mvModelInfo,
  type ModelFamily,
  type MvLabelOptions,
  type MvModel,
  type MvModelInfo,
} from './majority-vote';
export {
  REFERENCE_GRADERS,
  VERIFIER_ADDITIONS,
  VERIFIER_CORPUS_PATH,
  verifierAdditionsPath,
  VERIFIER_ITEM_KINDS,
  loadVerifierCorpus,
  type ReferenceGrader,
  type VerifierItem,
  type VerifierItemKind,
} from './verifier-corpus';
export { ONE_SHOT_INSTRUCTION, ONE_SHOT_PI1, oneShotDataset, type OneShotOptions } from './one-shot';
export {
  DEFAULT_SOURCE_BASE,
  MANIFEST_ROWS,
  SOURCE_BASE_ENV,
  UPSTREAM_COMMIT,
  UPSTREAM_REPO,
  manifestDatasets,
  missingUpstreamReason,
  pullManifest,
  type ManifestEntry,
  type ManifestRow,
} from './manifest';
export { defaultPullDest, pullDatasets, selectManifest, type PullOptions, type PullResult, type PullStatus } from './pull';
export { dataCatalog, type CatalogRow } from './catalog';
