#!/usr/bin/env node
// Bundles the command line (src/main.ts and everything it imports, yaml, fast-glob and ajv included) into one
// file, dist/bin/kubewire.js, which bin/kubewire.js runs: start-up is most of a one-file run, and loading one
// file instead of some 700 modules (545 of them CommonJS) is the larger part of it. Dependencies a run may not
// need (fast-glob, ajv, the reporters of other formats) are imported on first use, which the bundle keeps:
// esbuild wraps them and runs their code only when called. dist/ (tsc's output) stays the package's API.
// The bundle sits two folders below the package root, as dist/api/formatters.js does, so that the paths the
// code finds from its own URL (rules-docs/, schemas/) are the same.
// Run by `npm run build` (so by `prepare`, on npm ci and npm pack).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inlineVersion } from './build-action.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(root, 'dist', 'bin', 'kubewire.js');

const options = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Less text for V8 to scan at start-up; names are kept for KUBEWIRE_DEBUG's stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [inlineVersion],
  // CommonJS dependencies (fast-glob) call require() for Node's modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __kubewireCreateRequire } from 'node:module';\nconst require = __kubewireCreateRequire(import.meta.url);",
  },
};

await build({ ...options, entryPoints: ['src/main.ts'], outfile: CLI_BUNDLE });
// The parse worker (src/engine/parallel-parse.ts) is found beside the module that starts it: in the bundle, that
// is dist/bin/, so it gets a bundle of its own there (without it big inputs would silently parse on one thread).
await build({ ...options, entryPoints: ['src/engine/parse-worker.ts'], outfile: join(root, 'dist', 'bin', 'parse-worker.js') });
