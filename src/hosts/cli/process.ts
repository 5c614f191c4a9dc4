import { runCli } from './cli.js';

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

/** Runs the command line of this process; the entry of the CLI bundle (scripts/build-cli.mjs) and of dist/main.js. */
export async function runProcess(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    readStdin,
  });
}
