// `npm run lab`: opens the notebooks with the project's own TypeScript kernel (tslab from node_modules).
// It puts env/jupyter on JUPYTER_PATH (that is where the kernelspec lives, see env/README.md) and starts
// JupyterLab if installed, else Jupyter Notebook, else explains how to install one or use VS Code.
//
//   npm run lab [-- <args passed to jupyter>]   start JupyterLab / Notebook in the project root
//   npm run lab -- --dry-run                    print what would run (exit 1 if no frontend is installed)
//   npm run lab -- --jupyter-path               print the JUPYTER_PATH value, e.g. for `export JUPYTER_PATH=...`
//   npm run lab -- --vscode                     write JUPYTER_PATH into .env so VS Code finds the kernel
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KERNEL_NAME = 'spurious-rlvr';
const PROJECT_JUPYTER = join(ROOT, 'env', 'jupyter');

/** JUPYTER_PATH with the project's folder first, keeping whatever the user already had. */
function jupyterPath(env = process.env) {
  const rest = (env.JUPYTER_PATH ?? '').split(delimiter).filter((p) => p && resolve(p) !== PROJECT_JUPYTER);
  return [PROJECT_JUPYTER, ...rest].join(delimiter);
}

function isExecutable(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function which(name, env) {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = join(dir, name + ext);
      if (isExecutable(p)) return p;
    }
  }
  return null;
}

/** The frontend to start: JupyterLab first, then Jupyter Notebook (6 or 7). */
function findFrontend(env = process.env) {
  for (const [name, label] of [
    ['jupyter-lab', 'JupyterLab'],
    ['jupyter-notebook', 'Jupyter Notebook'],
  ]) {
    const path = which(name, env);
    if (path) return { name, label, path };
  }
  return null;
}

const INSTALL_HELP = `Neither JupyterLab nor Jupyter Notebook was found on PATH.

Install one of them, then run \`npm run lab\` again:
  pipx install jupyterlab                      (or: python3 -m pip install --user jupyterlab)
  conda install -c conda-forge jupyterlab
  sudo apt-get install jupyter-notebook        (Debian / Ubuntu: classic Notebook)
The kernel itself needs no Python package: it is tslab from node_modules.

Or use VS Code (Jupyter extension 2025.2 or later):
  npm run lab -- --vscode      writes JUPYTER_PATH=${PROJECT_JUPYTER} into .env
  then reload the window, open a notebook in notebooks/ and pick "TypeScript (${KERNEL_NAME})".

Headless (what the tests run):
  JUPYTER_PATH=${PROJECT_JUPYTER} jupyter nbconvert --to notebook --execute notebooks/<name>.ipynb --output /tmp/out.ipynb`;

/** Writes or replaces the JUPYTER_PATH line of <root>/.env (VS Code's Jupyter extension reads it). */
function writeVscodeEnv(quiet) {
  const file = join(ROOT, '.env');
  const line = `JUPYTER_PATH=${PROJECT_JUPYTER}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
  const kept = old.filter((l) => !/^\s*JUPYTER_PATH\s*=/.test(l));
  writeFileSync(file, [...kept, line].join('\n') + '\n');
  if (quiet) return;
  console.log(`wrote ${line} to ${file}`);
  console.log(`In VS Code: "Developer: Reload Window", open a notebook in notebooks/, pick the kernel "TypeScript (${KERNEL_NAME})".`);
}

function main(argv) {
  const flags = new Set(argv.filter((a) => ['--dry-run', '--print', '--jupyter-path', '--vscode', '--postinstall'].includes(a)));
  const passThrough = argv.filter((a) => !flags.has(a));
  const path = jupyterPath();

  if (flags.has('--jupyter-path')) {
    console.log(path);
    return 0;
  }
  if (flags.has('--postinstall')) {
    // `npm ci` / `npm install` run this, so VS Code finds the kernel with no extra step. A clone that cannot be
    // written to (or a .env that cannot be read) must not fail the install: say so and go on.
    try {
      writeVscodeEnv(true);
    } catch (e) {
      console.warn(`spurious-rlvr: could not write JUPYTER_PATH to .env for VS Code (${e.message}); run \`npm run lab -- --vscode\` later`);
    }
    return 0;
  }
  if (!existsSync(join(ROOT, 'node_modules', 'tslab', 'dist', 'main.js'))) {
    console.error(`npm run lab: tslab is missing from ${join(ROOT, 'node_modules')}; run \`npm ci\` first.`);
    return 1;
  }
  if (flags.has('--vscode')) {
    writeVscodeEnv(false);
    return 0;
  }
  const env = { ...process.env, JUPYTER_PATH: path };
  const frontend = findFrontend(env);
  const dry = flags.has('--dry-run') || flags.has('--print');
  if (dry) {
    console.log(`JUPYTER_PATH=${path}`);
    console.log(`kernel: ${KERNEL_NAME} (${join(PROJECT_JUPYTER, 'kernels', KERNEL_NAME, 'kernel.json')})`);
    console.log(`cwd: ${ROOT}`);
  }
  if (!frontend) {
    console.error(INSTALL_HELP);
    return 1;
  }
  if (dry) {
    console.log(`would run: ${[frontend.path, ...passThrough].join(' ')}  (${frontend.label})`);
    return 0;
  }
  console.log(`Starting ${frontend.label} with the "${KERNEL_NAME}" kernel (JUPYTER_PATH=${path})`);
  const child = spawn(frontend.path, passThrough, { cwd: ROOT, env, stdio: 'inherit' });
  // Ctrl-C reaches jupyter directly (same process group); we just wait for it to finish.
  process.on('SIGINT', () => {});
  child.on('error', (e) => {
    console.error(`npm run lab: could not start ${frontend.path}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return null;
}

const code = main(process.argv.slice(2));
if (code !== null) process.exitCode = code;
