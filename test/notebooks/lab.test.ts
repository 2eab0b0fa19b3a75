// `npm run lab` (scripts/lab.mjs): JUPYTER_PATH, frontend choice, the dry run, and the message when nothing is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { PROJECT_JUPYTER, ROOT } from './notebook-files';

const LAB = join(ROOT, 'scripts', 'lab.mjs');
const NODE_ONLY_PATH = dirname(process.execPath);

function lab(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [LAB, ...args], { encoding: 'utf8', env, cwd: tmpdir() });
}

/** A PATH with node and fake frontends that print what they were started with. */
function withFakes(names: string[]): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-lab-'));
  for (const name of names) {
    const p = join(dir, name);
    writeFileSync(p, `#!/bin/sh\necho "${name} JUPYTER_PATH=$JUPYTER_PATH cwd=$(pwd) args=$*"\nexit 7\n`);
    chmodSync(p, 0o755);
  }
  return { dir, path: [dir, NODE_ONLY_PATH, '/bin', '/usr/bin'].join(delimiter) };
}

test('without JupyterLab or Notebook it exits 1 and explains pip/apt installs and VS Code', () => {
  const r = lab([], { PATH: NODE_ONLY_PATH });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Neither JupyterLab nor Jupyter Notebook was found/);
  assert.match(r.stderr, /pipx install jupyterlab/);
  assert.match(r.stderr, /apt-get install jupyter-notebook/);
  assert.match(r.stderr, /VS Code/);
  assert.match(r.stderr, new RegExp(`JUPYTER_PATH=${PROJECT_JUPYTER.replace(/[/\\]/g, '.')}`));
});

test('--dry-run names JupyterLab before Notebook and the project JUPYTER_PATH first', () => {
  const fakes = withFakes(['jupyter-lab', 'jupyter-notebook']);
  try {
    const r = lab(['--dry-run', '--port', '9999'], { PATH: fakes.path, JUPYTER_PATH: '/elsewhere' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`JUPYTER_PATH=${PROJECT_JUPYTER}${delimiter}/elsewhere\n`));
    assert.match(r.stdout, new RegExp(`would run: ${join(fakes.dir, 'jupyter-lab')} --port 9999 +\\(JupyterLab\\)`));
  } finally {
    rmSync(fakes.dir, { recursive: true, force: true });
  }
});

test('it starts the frontend in the project root with JUPYTER_PATH set, passing arguments and the exit code', () => {
  const fakes = withFakes(['jupyter-notebook']);
  try {
    const r = lab(['--no-browser'], { PATH: fakes.path });
    assert.equal(r.status, 7);
    assert.match(r.stdout, new RegExp(`jupyter-notebook JUPYTER_PATH=${PROJECT_JUPYTER} cwd=${ROOT} args=--no-browser`));
  } finally {
    rmSync(fakes.dir, { recursive: true, force: true });
  }
});

test('--jupyter-path prints the value to export, without duplicates', () => {
  const r = lab(['--jupyter-path'], { PATH: NODE_ONLY_PATH, JUPYTER_PATH: [PROJECT_JUPYTER, '/x'].join(delimiter) });
  assert.equal(r.status, 0);
  assert.equal(r.stdout, `${PROJECT_JUPYTER}${delimiter}/x\n`);
});

test('--postinstall (run by npm ci) points VS Code at the kernel through .env and keeps the other lines', () => {
  const file = join(ROOT, '.env');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  try {
    writeFileSync(file, 'MY_SETTING=1\nJUPYTER_PATH=/stale/path\n');
    const r = lab(['--postinstall'], { PATH: NODE_ONLY_PATH });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), `MY_SETTING=1\nJUPYTER_PATH=${PROJECT_JUPYTER}\n`);
  } finally {
    if (before === null) rmSync(file, { force: true });
    else writeFileSync(file, before);
  }
});
