export { createRng, rngFrom, hashString, sampleIndices, shuffleInPlace, type Rng } from './rng';
export { pick, closestName } from './registry';
export { DataError, type DataLocation } from './errors';
export { writeFileAtomic } from './atomic-write';
export { finishProcess, markGpuInstanceLive } from './finish-process';
export { readJsonFile, isJsonObject } from './json-file';
export { parseJsonl, readJsonl, stringField, type JsonlRecord } from './jsonl';
export { provenance, type Provenance } from './provenance';
export { projectRequire } from './require';
