#!/usr/bin/env node
// `rlvr` launcher: loads the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

register();
const root = dirname(dirname(fileURLToPath(import.meta.url)));
// Run from outside the project, data lookups fall back to this install's data/ and ../shared/data.
process.env.RLVR_PROJECT_ROOT ??= root;
const { main, exitQuietlyOnClosedPipe } = await import(pathToFileURL(join(root, 'lib/cli/main.ts')).href);
exitQuietlyOnClosedPipe();
const code = await main(process.argv.slice(2));
// A live WebGPU (Dawn) instance keeps node running after the command: exit explicitly then.
// Otherwise let node exit by itself, so output piped on platforms with asynchronous pipes is flushed.
if (globalThis.navigator?.gpu !== undefined) process.exit(code);
process.exitCode = code;
