export { createRng, rngFrom, hashString, type Rng } from './rng';
export { pick, closestName } from './registry';
export { DataError, type DataLocation } from './errors';
export { writeFileAtomic } from './atomic-write';
export { parseJsonl, readJsonl, stringField, type JsonlRecord } from './jsonl';
