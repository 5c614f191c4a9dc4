#!/usr/bin/env node
// Bundles the command line (src/hosts/cli/process.ts and everything it imports, yaml, fast-glob and ajv
// included) into one CommonJS file, dist/bin/kubewire.cjs, which bin/kubewire.js compiles with V8's code cache
// (see there why): start-up is most of a one-file run, and loading one file instead of some 700 modules (545 of
// them CommonJS) is the larger part of it. CommonJS, because only a script, not an ES module, can be compiled
// from a code cache on Node 20 (vm.Script's cachedData). Dependencies a run may not
// need (fast-glob, ajv, the reporters of other formats) are imported on first use, which the bundle keeps:
// esbuild wraps them and runs their code only when called. dist/ (tsc's output) stays the package's API.
// The bundle sits two folders below the package root, as dist/api/formatters.js does, so that the paths the
// code finds from its own URL (rules-docs/, schemas/) are the same.
// Run by `npm run build` (so by `prepare`, on npm ci and npm pack).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { inlineVersion } from './build-action.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(root, 'dist', 'bin', 'kubewire.cjs');

const cli = await build({
  absWorkingDir: root,
  entryPoints: ['src/hosts/cli/process.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Less text for V8 to scan at start-up; names are kept for KUBEWIRE_DEBUG's stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [inlineVersion],
  // The code finds its data (schemas/, rules-docs/) from its own URL.
  define: { 'import.meta.url': '__kubewireModuleUrl' },
  banner: { js: "var __kubewireModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  write: false,
});
const code = cli.outputFiles[0].text;
// bin/kubewire.js compiles the bundle as a plain script, which has no loader for import().
if (/\bimport\(/.test(code)) throw new Error(`${CLI_BUNDLE}: the bundle has a dynamic import(), which bin/kubewire.js cannot load`);
mkdirSync(dirname(CLI_BUNDLE), { recursive: true });
rmSync(`${CLI_BUNDLE}.v8-cache`, { force: true });
// What earlier builds wrote there: an ES module bundle, and a parse worker (files are parsed on the main thread
// since the line scan, see BENCHMARKS.md).
for (const old of ['kubewire.js', 'parse-worker.js']) rmSync(join(root, 'dist', 'bin', old), { force: true });
writeFileSync(CLI_BUNDLE, code);
// The code cache of a run over the bundled examples, so that the first run after a build is fast too.
const warmUp = spawnSync(process.execPath, [join(root, 'bin', 'kubewire.js'), '--format', 'json', join(root, 'examples')], {
  encoding: 'utf8',
});
if (warmUp.status !== 1) throw new Error(`the built command line failed on examples/ (exit ${warmUp.status}): ${warmUp.stderr}`);
