#!/usr/bin/env node
// The command line, bundled into one file by scripts/build-cli.mjs (npm run build): see there why.
import '../dist/bin/kubewire.js';
