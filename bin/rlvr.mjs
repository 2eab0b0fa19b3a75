#!/usr/bin/env node
// `rlvr` launcher: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
// Run from outside the project, data lookups fall back to this install's data/ and ../shared/data.
process.env.RLVR_PROJECT_ROOT ??= root;
const { main, exitQuietlyOnClosedPipe, finishProcess } = await import(pathToFileURL(join(root, 'lib/cli/main.ts')).href);
exitQuietlyOnClosedPipe();
finishProcess(await main(process.argv.slice(2))); // exits at once only when a WebGPU instance is live
