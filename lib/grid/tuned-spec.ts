// A grid preset with the learning rates the tuning rule fixed (data/results/tuning/<family>.json), the
// way `rlvr grid run`, `rlvr reproduce` and the notebooks run it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findProjectRoot } from '../data';
import type { FamilyName } from '../organisms';
import { gridPreset, type GridSpec } from './spec';
import type { FamilyTuning } from './tune';

/** Folder of the tuning results, one file per family (so tunings of different families can run at once). */
export const tuningDir = (root: string = findProjectRoot() ?? process.cwd()): string => join(root, 'data', 'results', 'tuning');
export const tuningFile = (family: string, root?: string): string => join(tuningDir(root), `${family}.json`);

/** The recorded tuning of a family, or null when it was never tuned; a file that cannot be read is an error naming it. */
export function readFamilyTuning(family: string, root?: string): FamilyTuning | null {
  const file = tuningFile(family, root);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FamilyTuning;
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as Error).message})`);
  }
}

export interface TunedSpecOptions {
  /** One SGD learning rate for every family instead of the tuned ones. */
  lr?: number;
  /** A folder of <family>-s1 organisms instead of the shipped data/organisms. */
  organisms?: string;
  /** Project root holding data/results/tuning (default: found from the working directory). */
  root?: string;
}

/** The preset `name` with each family's tuned lr (or `opts.lr` for all); an error names a family never tuned. */
export function tunedGridSpec(name: string, opts: TunedSpecOptions = {}): GridSpec {
  const preset = gridPreset(name);
  const lr: Partial<Record<FamilyName, number>> = {};
  for (const f of preset.families) {
    if (opts.lr !== undefined) {
      lr[f] = opts.lr;
      continue;
    }
    const t = readFamilyTuning(f, opts.root);
    if (t?.lr == null) throw new Error(`no tuned learning rate for family "${f}" in ${tuningFile(f, opts.root)}; run \`rlvr grid tune --family ${f}\` first, or pass --lr`);
    lr[f] = t.lr;
  }
  return { ...preset, lr, organismRoot: opts.organisms === undefined ? null : resolve(opts.organisms) };
}
