// Running Jupyter from Node: finding the `jupyter` executable on PATH and running a command with its
// stderr captured. Shared by `npm run notebooks` (scripts/notebooks.ts) and the notebook tests.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The `jupyter` executable on PATH, or null. */
export function findJupyter(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'jupyter');
    if (dir && existsSync(p) && statSync(p).isFile()) return p;
  }
  return null;
}

/** Runs `cmd args` in `cwd` with `env`; resolves with its exit code and everything it wrote to stderr. */
export function runCapturingStderr(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
