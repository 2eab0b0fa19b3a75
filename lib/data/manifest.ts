// What `rlvr data pull` downloads: the public Rethink_RLVR data files, pinned by SHA-256.
// Checksums and sizes were computed from the byte-identical copies in shared/data/rethink_rlvr
// (every copy's git blob hash matches the upstream repository at commit 33b9f85, 13 June 2025).
// The full 40-hex commit id could not be looked up from here, so the URL uses the short sha;
// raw.githubusercontent.com resolves abbreviated commit ids. The checksums pin the bytes either way.
import { posix } from 'node:path';

/** Upstream repository and commit the files come from. */
export const UPSTREAM_REPO = 'ruixin31/Rethink_RLVR';
export const UPSTREAM_COMMIT = '33b9f85';

/** Default URL prefix; `--source-base` or RLVR_DATA_SOURCE_BASE replaces it (tests point it at a local server). */
export const DEFAULT_SOURCE_BASE = `https://raw.githubusercontent.com/${UPSTREAM_REPO}/${UPSTREAM_COMMIT}`;
export const SOURCE_BASE_ENV = 'RLVR_DATA_SOURCE_BASE';

/** One pinned file. `folder`/`file` locate it both upstream (code/data/...) and locally (rethink_rlvr/...). */
export interface ManifestRow {
  /** Logical dataset the file belongs to (what `--only` selects). */
  dataset: string;
  /** Upstream folder name under code/data/. */
  folder: string;
  file: 'test.json' | 'train.json';
  /** Number of records in the JSON array (a sanity value for `rlvr data list`). */
  records: number;
  bytes: number;
  sha256: string;
}

/** A row with its download URL and destination resolved. */
export interface ManifestEntry extends ManifestRow {
  /** "<dataset>/<test|train>", unique. */
  name: string;
  url: string;
  /** Path relative to a data dir, e.g. "rethink_rlvr/AMC-TTT/test.json". */
  dest: string;
}

// For the benchmark folders train.json and test.json are the same bytes (the training code wants both files).
export const MANIFEST_ROWS: readonly ManifestRow[] = [
  { dataset: 'aime2024', folder: 'AIME-TTT', file: 'test.json', records: 30, bytes: 13689, sha256: 'f52c531f6919731115b491d056be701e760e115d4b1cd5b57f48de2251a85d66' },
  { dataset: 'aime2024', folder: 'AIME-TTT', file: 'train.json', records: 30, bytes: 13689, sha256: 'f52c531f6919731115b491d056be701e760e115d4b1cd5b57f48de2251a85d66' },
  { dataset: 'aime2025', folder: 'AIME2025-TTT', file: 'test.json', records: 30, bytes: 14293, sha256: '399d490eae52cdf81ac207be8e5b8e43936df00ab0e31f242c6017bc57e76a1c' },
  { dataset: 'aime2025', folder: 'AIME2025-TTT', file: 'train.json', records: 30, bytes: 14293, sha256: '399d490eae52cdf81ac207be8e5b8e43936df00ab0e31f242c6017bc57e76a1c' },
  { dataset: 'amc', folder: 'AMC-TTT', file: 'test.json', records: 83, bytes: 31594, sha256: 'c343f64e98b46c19f74e5c9991c3ed390da3acffe29b84d6c2b5b5b01e497eea' },
  { dataset: 'amc', folder: 'AMC-TTT', file: 'train.json', records: 83, bytes: 31594, sha256: 'c343f64e98b46c19f74e5c9991c3ed390da3acffe29b84d6c2b5b5b01e497eea' },
  { dataset: 'deepscaler-heldout', folder: 'DeepScaleR', file: 'test.json', records: 30, bytes: 13689, sha256: 'f52c531f6919731115b491d056be701e760e115d4b1cd5b57f48de2251a85d66' },
  { dataset: 'deepscaler-level1', folder: 'DeepScaleR_Difficulty_Level_1', file: 'test.json', records: 100, bytes: 30093, sha256: 'e565b06dcd3cf2e853c57167ec662ff745911cd8b7db2c63a1b645f104245187' },
  { dataset: 'deepscaler-level1', folder: 'DeepScaleR_Difficulty_Level_1', file: 'train.json', records: 7961, bytes: 2075682, sha256: '643655467b7ad4fbe19bdd3cf946ab31b9dc58118b4622da6e5325222d6bdee7' },
  { dataset: 'deepscaler-level2', folder: 'DeepScaleR_Difficulty_Level_2', file: 'test.json', records: 100, bytes: 32858, sha256: '5b0b7a51c47dcf7251cd85fe59f973dc130a8e2d37e24197c6325260f4c15052' },
  { dataset: 'deepscaler-level2', folder: 'DeepScaleR_Difficulty_Level_2', file: 'train.json', records: 7962, bytes: 2605341, sha256: 'b030b2e9ca7d04c1b80e0703711a22fe602602518d8215bfbf1df74f56c841aa' },
  { dataset: 'deepscaler-level3', folder: 'DeepScaleR_Difficulty_Level_3', file: 'test.json', records: 100, bytes: 35961, sha256: '5723003a975c700730393ebd43d2b8a70bece8ef253fe024c50b5a16d3038716' },
  { dataset: 'deepscaler-level3', folder: 'DeepScaleR_Difficulty_Level_3', file: 'train.json', records: 7961, bytes: 2840717, sha256: 'f19613afe6b5b7c1adafe48b4c6d59cde8e0214855c3e9ddd1119167473fd882' },
  { dataset: 'deepscaler-level4', folder: 'DeepScaleR_Difficulty_Level_4', file: 'test.json', records: 100, bytes: 37749, sha256: '9b54a02805800cd4b3bbe35609412762b0a375e0fafc01573096b0c45820f6cd' },
  { dataset: 'deepscaler-level4', folder: 'DeepScaleR_Difficulty_Level_4', file: 'train.json', records: 7962, bytes: 3001162, sha256: '12561f793d0a78e80d1e0cd4147e33a7b2ec89914ef3f6a2e9871b6ed4e811d5' },
  { dataset: 'deepscaler-level5', folder: 'DeepScaleR_Difficulty_Level_5', file: 'test.json', records: 100, bytes: 39971, sha256: '2bd9f6dd6d2b9fb4fafdf1a4500e90ef45e9d5f9890f5ff14cf38595b8d34b43' },
  { dataset: 'deepscaler-level5', folder: 'DeepScaleR_Difficulty_Level_5', file: 'train.json', records: 7962, bytes: 3011049, sha256: 'ede17ca19c41c296294a0e2ec9bca827469766613ac97616c6bc05c7363779f4' },
  { dataset: 'mv-llama3.1_8b_instruct', folder: 'DeepScaleR_mv_labeled_llama3.1_8b_instruct', file: 'test.json', records: 100, bytes: 41903, sha256: '7db8b9fe2271a0f96ae6b3059e202aaae1790909c17e729bdd1ee823fba59f4a' },
  { dataset: 'mv-llama3.1_8b_instruct-incorrect', folder: 'DeepScaleR_mv_labeled_llama3.1_8b_instruct_incorrect', file: 'test.json', records: 100, bytes: 44075, sha256: 'e2069a5ebdb79911d6721b425038ac841d9483c4ad24bfc5a4103ad9937145d6' },
  { dataset: 'mv-llama3.2_3b_instruct', folder: 'DeepScaleR_mv_labeled_llama3.2_3b_instruct', file: 'test.json', records: 100, bytes: 39838, sha256: 'e3613b8e38de2b71dfcdd0930381552e021976117e50554f0b50cc4ae382817c' },
  { dataset: 'mv-llama3.2_3b_instruct-incorrect', folder: 'DeepScaleR_mv_labeled_llama3.2_3b_instruct_incorrect', file: 'test.json', records: 100, bytes: 41026, sha256: 'd961ea44d03ddd166eff622688990172d58eaf927a433a3e7c7535383ff21768' },
  { dataset: 'mv-olmo_2_1124_7b', folder: 'DeepScaleR_mv_labeled_olmo_2_1124_7b', file: 'test.json', records: 100, bytes: 42035, sha256: '6c8f0776230e12e8188c71f309af5bbf7fe708647cee3bb2988226f74e27acf8' },
  { dataset: 'mv-olmo_2_1124_7b-incorrect', folder: 'DeepScaleR_mv_labeled_olmo_2_1124_7b_incorrect', file: 'test.json', records: 100, bytes: 43111, sha256: 'eda07ac076a207ff6892c27d59dea5c647ed4b9ff0807815cfe0cdcebb272978' },
  { dataset: 'mv-olmo_2_1124_7b_sft', folder: 'DeepScaleR_mv_labeled_olmo_2_1124_7b_sft', file: 'test.json', records: 100, bytes: 30427, sha256: 'b6d8712defbf029a1147239e811bab1047fadf4b54dbc545ba48bc72f4f9f43f' },
  { dataset: 'mv-olmo_2_1124_7b_sft-incorrect', folder: 'DeepScaleR_mv_labeled_olmo_2_1124_7b_sft_incorrect', file: 'test.json', records: 100, bytes: 31450, sha256: 'fb4dc806f5a2d63a691a6e0a8b5fd88733461b6f4a065b72d3145b6b5e81b94e' },
  { dataset: 'mv-qwen2.5_1.5b', folder: 'DeepScaleR_mv_labeled_qwen2.5_1.5b', file: 'test.json', records: 100, bytes: 42154, sha256: '2f6f3f524e90a519abadc246e08446b3c41daade78bb8b4f01e1ac105c7abac0' },
  { dataset: 'mv-qwen2.5_1.5b-incorrect', folder: 'DeepScaleR_mv_labeled_qwen2.5_1.5b_incorrect', file: 'test.json', records: 100, bytes: 45176, sha256: '8fb7bee9ce7ecd268ef19db5cf2f32b38af6bb11787f05804293684833c37ec7' },
  { dataset: 'mv-qwen2.5_7b', folder: 'DeepScaleR_mv_labeled_qwen2.5_7b', file: 'test.json', records: 100, bytes: 42057, sha256: '95df812f54674e90bb303c4566f66dbe4a4f1dad937a0f89e6562a558bf267e8' },
  { dataset: 'mv-qwen2.5_7b-incorrect', folder: 'DeepScaleR_mv_labeled_qwen2.5_7b_incorrect', file: 'test.json', records: 100, bytes: 43240, sha256: '5eea7c6b402e01884532bece755ccc552a72fcc9777ce12a5537573f557a9bcf' },
  { dataset: 'mv-qwen2.5_math_1.5b', folder: 'DeepScaleR_mv_labeled_qwen2.5_math_1.5b', file: 'test.json', records: 100, bytes: 40566, sha256: 'a341037967a2ad96ee2214809c5a9493c821d37a60e8a9a37c54547dd04707cc' },
  { dataset: 'mv-qwen2.5_math_1.5b-incorrect', folder: 'DeepScaleR_mv_labeled_qwen2.5_math_1.5b_incorrect', file: 'test.json', records: 100, bytes: 42126, sha256: '322dd8c601387a28f8da7e1ac576c8ae8c8a659b1f366a37e6df4beb847a4654' },
  { dataset: 'mv-qwen2.5_math_7b', folder: 'DeepScaleR_mv_labeled_qwen2.5_math_7b', file: 'test.json', records: 100, bytes: 42582, sha256: 'ba68f2f3ea0762c6354e2dbdff83a87573d694efe4d6ac2a61d13471b483f04a' },
  { dataset: 'mv-qwen2.5_math_7b-incorrect', folder: 'DeepScaleR_mv_labeled_qwen2.5_math_7b_incorrect', file: 'test.json', records: 100, bytes: 36477, sha256: 'b357e433297af30ab3e789e6c691c68617610965ebf03e5247ce6fa9c4dc5c01' },
  { dataset: 'math500', folder: 'MATH-TTT', file: 'test.json', records: 500, bytes: 155573, sha256: 'c1680e2e2e034486ad1b7f5aa6dec7ce47ec801769d011cc5d6934ac139fcd46' },
  { dataset: 'math500', folder: 'MATH-TTT', file: 'train.json', records: 500, bytes: 155573, sha256: 'c1680e2e2e034486ad1b7f5aa6dec7ce47ec801769d011cc5d6934ac139fcd46' },
];

/** Local path (relative to a data dir) of an upstream file. */
export function rethinkPath(folder: string, file: string): string {
  return posix.join('rethink_rlvr', folder, file);
}

/** The manifest with URLs under `sourceBase` (default: the pinned GitHub raw URL). */
export function pullManifest(sourceBase: string = DEFAULT_SOURCE_BASE): ManifestEntry[] {
  const base = sourceBase.replace(/\/+$/, '');
  return MANIFEST_ROWS.map((r) => ({
    ...r,
    name: `${r.dataset}/${r.file.replace(/\.json$/, '')}`,
    url: `${base}/code/data/${r.folder}/${r.file}`,
    dest: rethinkPath(r.folder, r.file),
  }));
}

/** Dataset names a `--only` filter accepts. */
export function manifestDatasets(): string[] {
  return [...new Set(MANIFEST_ROWS.map((r) => r.dataset))];
}

/**
 * Why a data file cannot be pulled, if the upstream snapshot never had it (see shared/data/rethink_rlvr/README.md,
 * "Missing from the snapshot"); undefined for any other path.
 */
export function missingUpstreamReason(relPath: string): string | undefined {
  const p = relPath.split(/[\\/]+/).join('/');
  const why = 'it is not in the public Rethink_RLVR snapshot (a large blob missing upstream), so `rlvr data pull` cannot fetch it';
  if (p === 'rethink_rlvr/DeepScaleR/train.json') return `${why}; the union of the DeepScaleR_Difficulty_Level_* files (train + test) stands in for it`;
  if (/^rethink_rlvr\/DeepScaleR_mv_labeled_[^/]+\/train\.json$/.test(p)) return `${why}; only the 100-record test.json slice exists`;
  if (p === 'rethink_rlvr/all_deepscaler_dataset.json') return why;
  return undefined;
}
