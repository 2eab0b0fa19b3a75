// Shared helpers for the notebook tests: where the notebooks are and how to read them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve('.');
export const NOTEBOOK_DIR = join(ROOT, 'notebooks');
export const PROJECT_JUPYTER = join(ROOT, 'env', 'jupyter');
export const KERNEL_NAME = 'spurious-rlvr';

export interface NotebookOutput {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string } };
}

/** notebooks/*.ipynb, sorted by name. */
export function notebookFiles(): string[] {
  return readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb')).sort();
}

export function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

export function joinText(t: string | string[] | undefined): string {
  return Array.isArray(t) ? t.join('') : (t ?? '');
}
