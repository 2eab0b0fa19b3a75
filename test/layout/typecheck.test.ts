// The whole project type-checks under strict TypeScript (tsconfig.json): tests run through tsx, which strips types
// without checking them, so a type error would otherwise go unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test('npm run typecheck passes (strict tsc over lib, tests, benches and scripts)', () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc reported:\n${r.stdout}${r.stderr}`);
});
