// Where a result came from: the git commit of the code that made it (and whether the working tree
// had uncommitted changes), for the records committed next to results.
import { execFileSync } from 'node:child_process';

export interface Provenance {
  /** HEAD's full sha, or null outside a git checkout. */
  commit: string | null;
  /** True when tracked files differed from HEAD (the numbers may not be reproducible from `commit` alone). */
  dirty: boolean | null;
  /** ISO time of the record. */
  created: string;
}

export function provenance(cwd: string = process.cwd()): Provenance {
  const git = (args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD']);
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status === null ? null : status !== '', created: new Date().toISOString() };
}
