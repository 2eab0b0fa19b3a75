// Kernel launcher for the spurious-rlvr tslab kernel (see env/README.md).
// kernel.json runs `node {resource_dir}/launch.cjs {connection_file}`; Jupyter, nbclient and VS Code replace
// {resource_dir} with this folder. We find the project root from here (four levels up: kernels/spurious-rlvr ->
// kernels -> jupyter -> env -> root) and start the project's own tslab, never a global one, so notebooks
// `require` the same tslab instance the kernel runs (needed by lib/notebook's display writer).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// __dirname is the real path (node resolves the main script's symlinks), so a symlinked env/jupyter still works.
const root = path.resolve(__dirname, '..', '..', '..', '..');

// --- Folder-index imports -------------------------------------------------------------------------------------
// Library code imports folder indexes as `../util`. tslab compiles every .ts file in memory and resolves a relative
// require by appending ".js" only, so `../util` (meaning ../util/index.ts) is not found: node looks on disk for
// util.js or util/index.js, and neither exists. We rewrite such requests to `<folder>/index` before tslab's own
// require sees them, in notebook cells and in the project files tslab compiled; everything else is untouched.
const Module = require('node:module');

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function withFolderIndexes(req, baseDir) {
  return new Proxy(req, {
    apply(target, thisArg, args) {
      const id = args[0];
      if (args.length === 1 && typeof id === 'string' && (id.startsWith('./') || id.startsWith('../')) && path.extname(id) === '') {
        const dir = path.resolve(baseDir, id);
        if (isDir(dir) && ['index.ts', 'index.tsx'].some((f) => fs.existsSync(path.join(dir, f)))) {
          return Reflect.apply(target, thisArg, [`${id.replace(/\/+$/, '')}/index`]);
        }
      }
      return Reflect.apply(target, thisArg, args);
    },
  });
}

function fail(code, message) {
  process.stderr.write(`spurious-rlvr kernel: ${message}\n`);
  process.exit(code);
}

function main(connectionFile) {
  if (!connectionFile) fail(2, 'missing connection file argument; kernel.json should pass {connection_file}');
  let mainJs;
  try {
    mainJs = require.resolve('tslab/dist/main.js', { paths: [root] });
  } catch {
    fail(1, `tslab is not installed under ${path.join(root, 'node_modules')}.\nRun \`npm ci\` in ${root} and restart the kernel.`);
  }
  if (!fs.existsSync(connectionFile)) fail(2, `connection file ${connectionFile} does not exist`);

  // tslab loads each compiled project file as `new Module(...)`, replaces its `require` with its own wrapper, then
  // calls `_compile`; plain node modules keep the prototype's require and are left alone.
  const originalCompile = Module.prototype._compile;
  Module.prototype._compile = function compileWithFolderIndexes(content, filename) {
    if (this.require !== Module.prototype.require && typeof this.require === 'function') {
      this.require = withFolderIndexes(this.require, path.dirname(filename));
    }
    return originalCompile.call(this, content, filename);
  };

  // startKernel is tslab's stable entry point (kept stable so a global tslab can start a local one).
  // enableFindLocal: false because we already picked the project's tslab explicitly.
  require(mainJs).startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false, globalVersion: '' });

  // Notebook cells call `__tslab__.require` (set up synchronously by startKernel), resolving from the kernel's cwd.
  const tslabGlobals = globalThis.__tslab__;
  if (tslabGlobals && typeof tslabGlobals.require === 'function') {
    tslabGlobals.require = withFolderIndexes(tslabGlobals.require, process.cwd());
  }
}

if (require.main === module) main(process.argv[2]);
else module.exports = { withFolderIndexes, root };
