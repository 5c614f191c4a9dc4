import { runCli } from './hosts/cli/cli.js';

/** The process shell around runCli: real streams, real exit code. */
async function readStdin(maxBytes = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    // Past the limit the input is refused anyway: stop reading instead of holding an endless pipe in memory.
    if (total > maxBytes) break;
  }
  return Buffer.concat(chunks);
}

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  readStdin,
});
process.exitCode = code;
