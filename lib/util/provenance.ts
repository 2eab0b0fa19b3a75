// Where a result came from: the git commit of the code that made it (and whether the working tree
// had uncommitted changes), for the records committed next to results.
import { execFileSync } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';

export interface Provenance {
  /** HEAD's full sha, or null outside a git checkout. */
  commit: string | null;
  /** True when tracked files differed from HEAD (the numbers may not be reproducible from `commit` alone). */
  dirty: boolean | null;
  /** ISO time of the record. */
  created: string;
}

/**
 * The provenance of the code in the checkout around `cwd`. `exclude`: paths (e.g. the results folder the
 * record goes into) whose changes do not make the code dirty, so writing results never marks them dirty.
 */
export function provenance(cwd: string = process.cwd(), exclude: readonly string[] = []): Provenance {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const pathspec = commit === null ? [] : excludePathspec(exclude.map((p) => resolve(cwd, p)), () => git(['rev-parse', '--show-toplevel']));
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no', ...pathspec]);
  return { commit, dirty: status === null ? null : status !== '', created: new Date().toISOString() };
}

/**
 * A pathspec that leaves out `paths` (absolute). Only paths inside the checkout are named: git refuses a pathspec
 * outside it, and such a path cannot make the checkout dirty anyway. `top` is asked only when there are paths.
 */
function excludePathspec(paths: readonly string[], top: () => string | null): string[] {
  if (paths.length === 0) return [];
  const root = top();
  if (root === null) return [];
  const inside = paths.filter((p) => {
    const rel = relative(root, p);
    return !rel.startsWith('..') && !isAbsolute(rel);
  });
  return inside.length === 0 ? [] : ['--', ':/', ...inside.map((p) => `:(exclude)${p}`)];
}
