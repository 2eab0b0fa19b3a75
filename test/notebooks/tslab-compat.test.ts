// Every lib folder must compile the way tslab compiles it when a notebook imports it: tslab's own TypeScript
// (5.0, via @tslab/typescript-for-tslab), NOT strict (so no strictNullChecks narrowing), moduleResolution node10,
// and declaration output on (so exported functions whose inferred types cannot be named fail). `npm run typecheck`
// uses TypeScript 7 in strict mode and catches none of these. One test per lib folder with an index.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { NOTEBOOK_DIR, ROOT } from './notebook-files';

// Loaded with require: the package is CommonJS and ships no ESM entry.
const ts = createRequire(join(ROOT, 'package.json'))('@tslab/typescript-for-tslab') as typeof import('@tslab/typescript-for-tslab');

const LIB = join(ROOT, 'lib');
const folders = readdirSync(LIB).filter((f) => existsSync(join(LIB, f, 'index.ts'))).sort();

// Compiled through the notebooks/lib symlink, exactly as a notebook reaches them (rootDir = notebooks/).
const roots = folders.map((f) => join(NOTEBOOK_DIR, 'lib', f, 'index.ts'));
const program = ts.createProgram(roots, {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.NodeJs,
  esModuleInterop: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  declaration: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  rootDir: NOTEBOOK_DIR,
  outDir: join(NOTEBOOK_DIR, '.tslab-compat-out'), // never written: we only ask for diagnostics
});

function diagnosticsByFolder(): Map<string, string[]> {
  const out = new Map<string, string[]>(folders.map((f) => [f, []]));
  for (const sf of program.getSourceFiles()) {
    const rel = relative(join(NOTEBOOK_DIR, 'lib'), sf.fileName);
    if (rel.startsWith('..') || rel.includes('node_modules')) continue; // node_modules, TS's own lib files
    const folder = rel.split(/[\\/]/)[0];
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf), ...program.getDeclarationDiagnostics(sf)];
    for (const d of diags) {
      const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = `lib/${rel}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ''}`;
      out.get(folder)?.push(`${where} - ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return out;
}

const byFolder = diagnosticsByFolder();
for (const folder of folders) {
  test(`lib/${folder} compiles under tslab (TypeScript ${ts.version}, non-strict, declarations)`, () => {
    const problems = byFolder.get(folder) ?? [];
    assert.deepEqual(problems, [], `lib/${folder} does not compile in a notebook:\n${problems.join('\n')}`);
  });
}
