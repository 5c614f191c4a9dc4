/**
 * Hostile text: resource names, labels, annotations, file names and source lines from a repository reach CI
 * logs, terminals and code scanning. Whatever they hold (newlines, carriage returns, ANSI escapes, GitHub
 * workflow commands, percent-encodings, line separators, bidi overrides), the human formats show it escaped on
 * one line and the data formats keep it exact and valid. Every registered format is held to its output kind.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/hosts/cli/cli.js';
import { escapeControl, escapeWorkflowCommandData, escapeWorkflowCommandProperty } from '../src/reporters/escape.js';
import { FORMAT_NAMES, outputKindOf } from '../src/reporters/index.js';
import { ensureBuilt, runKubewire, STACK_FRAME } from './cli-process.js';
import { repoRoot } from './helpers.js';

/** Everything a manifest can smuggle into a string. */
const HOSTILE =
  'evil\u001b[31mRED\u001b[0m\nnext-line\r::error file=x.yaml::pwned %0A%25 \u2028sep\u2029para \u202egnp.exe\u202c \u2066iso\u2069 bell\u0007 nul\u0000 c1\u009b';
/** Characters that must never reach a terminal or log raw from a manifest. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// A YAML double-quoted scalar accepts JSON escapes; DEL and C1 controls must be escaped too, since go-yaml
// (kubectl) refuses them raw anywhere in a document.
const yamlString = (s: string) =>
  JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A Service whose selector matches nothing, so its (hostile) name and labels are quoted in findings. It is an
 * error (exit code 1): the Deployment beside it, which no Service selects, has a label the selector comes close to.
 * The raw escape in the comment makes kubectl refuse its document (a yaml-syntax finding, with that line in the
 * frame), so it has a document of its own.
 */
const MANIFEST = `# a comment with a raw escape \u001b[2J and a bidi override \u202e here
---
apiVersion: v1
kind: Service
metadata:
  name: ${yamlString(HOSTILE)}
  labels:
    team: ${yamlString(HOSTILE)}
  annotations:
    note: ${yamlString(HOSTILE)}
spec:
  selector:
    app: ${yamlString(`web${HOSTILE}`)}
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
`;

/** A file name can hold a newline and an escape too (Linux allows anything but `/` and NUL). */
const HOSTILE_FILE = 'evil\n::warning::\u001b[1mfile%0A.yaml';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubewire-hostile-'));
  writeFileSync(path.join(dir, 'service.yaml'), MANIFEST);
  mkdirSync(path.join(dir, 'names'));
  writeFileSync(path.join(dir, 'names', HOSTILE_FILE), `apiVersion: v1\nkind: 42\nmetadata:\n  name: x\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: readonly string[], options: { tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: dir,
    env: {},
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stdoutIsTTY: options.tty ?? false,
    readStdin: () => Promise.resolve(Buffer.alloc(0)),
  });
  return { code, stdout, stderr };
}

/** Every string anywhere in a JSON value. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function decodeUri(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The guarantees of each output kind, checked on the output of one format. */
function expectSafeFor(kind: string, output: string, colour: boolean): void {
  switch (kind) {
    case 'text': {
      // Only kubewire's own colour codes may appear, and only when colour is on.
      const own = colour ? output.replace(/\u001b\[\d+m/g, '') : output;
      expect(own).not.toMatch(RAW_CONTROL);
      // No manifest text starts a line: neither the text after the newline, nor a workflow command.
      for (const line of output.split('\n')) {
        expect(line.startsWith('next-line')).toBe(false);
        expect(line.startsWith('::')).toBe(false);
      }
      expect(output).toContain(escapeControl(HOSTILE));
      return;
    }
    case 'data': {
      const data = JSON.parse(output) as unknown;
      // The exact text, for the programs that read the report.
      expect(stringsOf(data).some((s) => s === HOSTILE || s.includes(HOSTILE))).toBe(true);
      return;
    }
    case 'workflow-command': {
      for (const line of output.split('\n').filter(Boolean)) expect(line.startsWith('::')).toBe(true);
      expect(output).not.toMatch(RAW_CONTROL);
      expect(output).not.toContain('%0A%25'); // the manifest's own percent-encoding is encoded again
      return;
    }
    default:
      throw new Error(`no safety test for output kind "${kind}": add one here`);
  }
}

describe('hostile text in manifests, for every format', () => {
  beforeAll(() => ensureBuilt());

  for (const format of FORMAT_NAMES) {
    for (const colour of [false, true]) {
      it(`${format} (${outputKindOf(format)}${colour ? ', colour' : ''}): hostile names, labels and values cannot forge output`, async () => {
        const run = await cli(['--format', format, ...(colour ? ['--color'] : ['--no-color']), 'service.yaml']);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
        expectSafeFor(outputKindOf(format)!, run.stdout, colour);
      });
    }

    it(`${format}: a hostile file name cannot forge output`, async () => {
      const run = await cli(['--format', format, '--no-color', 'names']);
      expect(run.code).toBe(1);
      const kind = outputKindOf(format)!;
      if (kind === 'data') {
        // SARIF holds file names as URIs: percent-encoded, and decoded back exactly.
        expect(stringsOf(JSON.parse(run.stdout)).flatMap((s) => [s, decodeUri(s)])).toContain(`names/${HOSTILE_FILE}`);
      } else {
        expect(run.stdout).not.toMatch(RAW_CONTROL);
        for (const line of run.stdout.split('\n')) expect(line.startsWith('::warning')).toBe(false);
        // In a workflow command the file name is a property: `:` and `,` (and `%`) are encoded too.
        const escape = kind === 'workflow-command' ? escapeWorkflowCommandProperty : escapeControl;
        expect(run.stdout).toContain(escape(`names/${HOSTILE_FILE}`));
      }
    });
  }

  it('stylish shows a raw escape in a source line (code frame) escaped', async () => {
    const source = `apiVersion: v1\nkind: 42 # \u001b]0;title\u0007 \u202e\nmetadata:\n  name: x\n`;
    writeFileSync(path.join(dir, 'frame.yaml'), source);
    const run = await cli(['--no-color', 'frame.yaml']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('> 2 | kind: 42 # \\e]0;title\\u0007 \\u202e');
  });

  it("the real process, colour forced: stdout holds no escape sequence but kubewire's own colours", () => {
    const run = runKubewire(['--color', 'service.yaml'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout.replace(/\u001b\[\d+m/g, '')).not.toMatch(RAW_CONTROL);
  });
});

describe('kubewire endpoints with hostile text', () => {
  it('the table shows control characters escaped, one Service per block', async () => {
    const run = await cli(['endpoints', 'service.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain(`Service default/${escapeControl(HOSTILE)} (ClusterIP)`);
    for (const line of run.stdout.split('\n')) expect(line.startsWith('::')).toBe(false);
  });

  it('the JSON keeps the exact name', async () => {
    const run = await cli(['endpoints', '--format', 'json', 'service.yaml']);
    expect(run.code).toBe(0);
    expect(stringsOf(JSON.parse(run.stdout))).toContain(HOSTILE);
  });

  it('problems with hostile file names go to stderr escaped', async () => {
    const binary = `bin\n::error::\u001b[31m.yaml`;
    writeFileSync(path.join(dir, 'names', binary), Buffer.from([0, 1, 2, 3]));
    const run = await cli(['endpoints', 'names']);
    // The problem is reported (not dropped), with the file name shown escaped, on one line of its own.
    expect(run.stderr).toContain(escapeControl(`names/${binary}`));
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.startsWith('kubewire: '))).toBe(true);
  });
});

describe('escapers', () => {
  it('escapeControl shows every control, separator and bidi character visibly, on one line', () => {
    expect(escapeControl('a\nb\rc\td\u001be\u0000f\u2028g\u202eh\u2066i\u200fj\u061ck\ufeffl')).toBe(
      'a\\nb\\rc\\td\\ee\\u0000f\\u2028g\\u202eh\\u2066i\\u200fj\\u061ck\\ufeffl',
    );
    expect(escapeControl('plain ascii, üñí©ødé, 日本語, emoji 🚀')).toBe('plain ascii, üñí©ødé, 日本語, emoji 🚀');
  });

  it('workflow-command escapers keep manifest text from starting or decoding into a command', () => {
    expect(escapeWorkflowCommandData('x\n::error::y %0A 50%')).toBe('x\\n::error::y %250A 50%25');
    expect(escapeWorkflowCommandProperty('a.yaml,line=1::x')).toBe('a.yaml%2Cline=1%3A%3Ax');
  });
});

describe('report files and paths', () => {
  it('--output-file is written whole or not at all: a failed write leaves the old report and no temporary file', async () => {
    const reports = path.join(dir, 'reports');
    mkdirSync(reports);
    writeFileSync(path.join(reports, 'old.json'), '[]\n');
    // The parent of the target is a file: the write fails after the lint.
    writeFileSync(path.join(reports, 'blocker'), 'not a directory');
    const failed = await cli(['--format', 'json', '--output-file', 'reports/blocker/report.json', 'service.yaml']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(
      'kubewire: cannot write the report to reports/blocker/report.json: a part of reports/blocker is a file, not a folder\n',
    );
    // A usage error after an earlier good report: the report stays as it was.
    const usage = await cli(['--format', 'nope', '--output-file', 'reports/old.json', 'service.yaml']);
    expect(usage.code).toBe(2);
    expect(readdirSync(reports).sort()).toEqual(['blocker', 'old.json']);
    expect(readFileSync(path.join(reports, 'old.json'), 'utf8')).toBe('[]\n');

    const ok = await cli(['--format', 'json', '--output-file', 'reports/old.json', 'service.yaml']);
    expect(ok.code).toBe(1);
    expect(readdirSync(reports).sort()).toEqual(['blocker', 'old.json']);
    expect(JSON.parse(readFileSync(path.join(reports, 'old.json'), 'utf8'))).toHaveLength(1);
  });

  it("paths in reports are relative to the working directory, never the runner's absolute paths", () => {
    const run = runKubewire(['--format', 'json', 'test/corpus'], { cwd: repoRoot });
    const results = JSON.parse(run.stdout) as { filePath: string; messages: { related?: { filePath: string }[] }[] }[];
    expect(results.length).toBeGreaterThan(0);
    const paths = results.flatMap((r) => [r.filePath, ...r.messages.flatMap((m) => (m.related ?? []).map((x) => x.filePath))]);
    for (const p of paths) expect(p.startsWith('test/corpus/'), p).toBe(true);
    expect(run.stdout).not.toContain(repoRoot);
  });
});

/**
 * How the Actions runner reads a workflow command (actions/runner, ActionCommand.cs): `::name k=v,k=v::data`,
 * properties split at `,` and `=`, then `%0D`, `%0A` (and `%3A`, `%2C` in properties) decoded before `%25`.
 */
function parseWorkflowCommand(line: string): { command: string; properties: Record<string, string>; data: string } | undefined {
  const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!match) return undefined;
  const decode = (text: string, property: boolean) => {
    let out = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
    if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
    return out.replace(/%25/g, '%');
  };
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    properties[pair.slice(0, eq)] = decode(pair.slice(eq + 1), true);
  }
  return { command: match[1]!, properties, data: decode(match[3]!, false) };
}

describe('--format github with hostile text, as the runner reads it', () => {
  it('every line is one annotation of kubewire, and the manifest text arrives escaped, never as a command', async () => {
    const run = await cli(['--format', 'github', 'service.yaml']);
    expect(run.code).toBe(1);
    const commands = run.stdout.trimEnd().split('\n').map(parseWorkflowCommand);
    expect(commands.every((c) => c !== undefined)).toBe(true);
    for (const command of commands) {
      expect(['error', 'warning']).toContain(command!.command);
      expect(Object.keys(command!.properties)).toEqual(['file', 'line', 'endLine', 'col', 'endColumn', 'title']);
      expect(command!.properties.file).toBe('service.yaml');
      expect(command!.properties.title).toMatch(/^kubewire [a-z-]+$/);
      // Decoded, the message holds the manifest's text shown escaped on one line: no raw control character,
      // and the `%0A%25` the manifest wrote is shown as written, not decoded into a line break.
      expect(command!.data).not.toMatch(RAW_CONTROL);
      expect(command!.data).not.toMatch(/\r/);
    }
    const selector = commands.find((c) => c!.properties.title === 'kubewire service-selector-match');
    expect(selector!.data).toContain(escapeControl(HOSTILE));
    expect(selector!.data).toContain('%0A%25');
  });

  it('a hostile file name stays inside the file property', async () => {
    const run = await cli(['--format', 'github', 'names']);
    const commands = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => parseWorkflowCommand(line)!);
    expect(commands.map((c) => c.properties.file)).toContain(escapeControl(`names/${HOSTILE_FILE}`));
    for (const command of commands)
      expect(Object.keys(command.properties)).toEqual(['file', 'line', 'endLine', 'col', 'endColumn', 'title']);
  });

  it('past 10 errors and 10 warnings per step, one notice gives the counts and points to SARIF', async () => {
    // 12 Services alone in their namespace (a warning each: no workload to check the selector against), each
    // with a nodePort outside the default range (an error each: the API server rejects it).
    const services = Array.from(
      { length: 12 },
      (_, i) =>
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n  namespace: lonely${i}\nspec:\n  type: NodePort\n  selector:\n    app: a${i}\n  ports:\n  - port: 80\n    nodePort: ${20000 + i}\n`,
    );
    writeFileSync(path.join(dir, 'many.yaml'), services.join('---\n'));
    const run = await cli(['--format', 'github', 'many.yaml']);
    const commands = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => parseWorkflowCommand(l)!);
    const count = (name: string) => commands.filter((c) => c.command === name).length;
    expect(count('error')).toBe(10);
    expect(count('warning')).toBe(10);
    expect(count('notice')).toBe(1);
    const notice = commands.at(-1)!;
    expect(notice.command).toBe('notice');
    expect(notice.data).toMatch(/^kubewire found 12 errors and 12 warnings; .* so 4 findings are not annotated\. Upload the SARIF report/);
  });
});

describe('--format sarif with hostile text', () => {
  it('a hostile file name becomes a URI reference that decodes to the exact name', async () => {
    const run = await cli(['--format', 'sarif', 'names']);
    const log = JSON.parse(run.stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    for (const uri of uris) expect(uri).not.toMatch(/[\s\u0000-\u001f\u007f-\u009f]/);
    expect(uris.map((uri) => decodeURIComponent(uri))).toContain(`names/${HOSTILE_FILE}`);
  });
});
