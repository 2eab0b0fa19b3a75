// Shared helpers for the notebook tests: where the notebooks are and how to read them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve('.');
export const NOTEBOOK_DIR = join(ROOT, 'notebooks');
export const PROJECT_JUPYTER = join(ROOT, 'env', 'jupyter');
export const KERNEL_NAME = 'spurious-rlvr';

// The cells and outputs as stored: the same shapes `npm run notebooks` checks (lib/notebook/committed.ts).
export type { StoredOutput as NotebookOutput, StoredCell as NotebookCell } from '../../lib/notebook/committed';
import type { StoredCell } from '../../lib/notebook/committed';
export { joinText } from '../../lib/notebook/committed';

export interface Notebook {
  cells: StoredCell[];
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string } };
}

/** notebooks/*.ipynb, sorted by name. */
export function notebookFiles(): string[] {
  return readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb')).sort();
}

export function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}
