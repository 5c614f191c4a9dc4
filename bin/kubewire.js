#!/usr/bin/env node
// The command line: one CommonJS bundle of it (dist/bin/kubewire.cjs, written by scripts/build-cli.mjs), compiled
// with V8's code cache. Node 20 compiles every module from its source on every run (its compile cache came in
// Node 22.1), and for a one-file run, a pre-commit hook's, compiling the 880 KB bundle was a third of the time.
// The cache (dist/bin/kubewire.cjs.v8-cache) holds the bytecode of the functions a run used; V8 refuses it when
// it was made for other source, another V8 or other flags, and then the bundle is compiled as usual and a new
// cache is written after the run, if the folder is writable (a package installed by root is not: no cache).
// It is only ever read from beside the bundle, never from a shared folder such as /tmp: bytecode is code.
// This file is CommonJS (bin/package.json): loading it as an ES module cost some 5 ms of Node's ESM loader.
'use strict';
const { readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');

const folder = join(__dirname, '..', 'dist', 'bin');
const bundle = join(folder, 'kubewire.cjs');
const cacheFile = `${bundle}.v8-cache`;

let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write(`kubewire: ${bundle} is missing: build kubewire first (npm install, or npm run build in a checkout)\n`);
  process.exit(2);
}
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet: compiled from source, and written below.
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
const bundled = { exports: {} };
script.runInThisContext()(bundled.exports, createRequire(bundle), bundled, bundle, folder);

void bundled.exports.runProcess().then(() => {
  if (cachedData && !script.cachedDataRejected) return;
  const partial = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile);
  } catch {
    rmSync(partial, { force: true });
  }
});
