import { runProcess } from './hosts/cli/process.js';

// The unbundled command line (dist/main.js); bin/kubewire.js runs the bundle of the same entry.
await runProcess();
