import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as core from '@actions/core';
import { Kubewire, type LintRun } from '../../api/kubewire.js';
import type { LintMessage, LintResult } from '../../engine/results.js';
import { ConfigError, formatConfigProblem, resolveOptions } from '../../config/index.js';
import { RuleConfigError } from '../../engine/rule-config.js';
import { UsageError } from '../../loader/read-inputs.js';
import { wiringOf } from '../../model/wiring.js';
import { escapeControl } from '../../reporters/escape.js';
import { jobSummary } from './job-summary.js';

/**
 * The GitHub Action (action.yml): inputs resolved into the engine's options, one run of the engine, then what
 * the runner shows: the report in the log, annotations on the diff, the job summary, the outputs and the exit
 * code. All of the runner's file and workflow-command protocol goes through @actions/core.
 */
export interface ActionInputs {
  /** The repository checkout (GITHUB_WORKSPACE): findings, SARIF and the summary name files relative to it. */
  workspace: string;
  /** Patterns relative to the workspace: `working-directory` joined to each of `files`. */
  patterns: string[];
  format: string;
  sarifFile: string | undefined;
  sarifCategory: string | undefined;
  failOn: 'error' | 'warning' | 'none';
  maxWarnings: number;
  /** Unset: the config file's, else `default`. */
  namespace: string | undefined;
  /** `working-directory`, absolute: where the search for a config file starts. */
  workingDirectory: string;
  /** The `config` input: a config file relative to the workspace; unset: found from working-directory up. */
  configFile: string | undefined;
}

/** GitHub shows at most 10 error and 10 warning annotations per step and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readActionInputs(env);
    // The inputs over the config file, resolved as the command line resolves its flags (config/resolve.ts).
    const settings = resolveOptions({
      cwd: inputs.workspace,
      searchFrom: inputs.workingDirectory,
      ...(inputs.configFile !== undefined ? { configFile: inputs.configFile } : {}),
      flags: { maxWarnings: inputs.maxWarnings, ...(inputs.namespace !== undefined ? { namespace: inputs.namespace } : {}) },
    });
    if (settings.configFile)
      core.info(`kubewire: settings from ${escapeControl(path.relative(inputs.workspace, settings.configFile) || settings.configFile)}`);
    const kubewire = new Kubewire(settings.options);
    const formatter = kubewire.loadFormatter(inputs.format);
    const sarif = inputs.sarifFile ? kubewire.loadFormatter('sarif') : undefined;
    const run = await kubewire.lintFiles(inputs.patterns);

    printUntrusted(formatter.format(run, { color: true }));
    for (const notice of run.notices) core.info(`kubewire: ${escapeControl(notice)}`);
    annotate(run);

    let sarifPath = '';
    if (sarif && inputs.sarifFile) {
      sarifPath = path.resolve(inputs.workspace, inputs.sarifFile);
      // The checkout is the repository root code scanning resolves SARIF locations against.
      const options = {
        sourceRoot: inputs.workspace,
        ...(inputs.sarifCategory !== undefined ? { sarifCategory: inputs.sarifCategory } : {}),
      };
      await writeAtomically(sarifPath, sarif.format(run, options));
      core.info(`kubewire: SARIF written to ${escapeControl(sarifPath)}`);
    }
    core.setOutput('error-count', run.errorCount);
    core.setOutput('warning-count', run.warningCount);
    core.setOutput('sarif-file', sarifPath);

    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(summaryOf(run, inputs, env)).write();

    const failure = failureOf(run, inputs);
    if (failure) core.setFailed(`kubewire found ${failure} (fail-on: ${inputs.failOn})`);
  } catch (error) {
    // A config file with mistakes: each one an annotation on the config file, at its line.
    if (error instanceof ConfigError && error.problems.some((p) => p.line !== undefined)) {
      for (const problem of error.problems) {
        core.error(escapeControl(formatConfigProblem(problem)), {
          title: 'kubewire configuration',
          file: escapeControl(problem.file),
          ...(problem.line !== undefined ? { startLine: problem.line, startColumn: problem.column ?? 1 } : {}),
        });
      }
      core.setFailed(
        `kubewire: the config file ${escapeControl(error.problems[0]?.file ?? '')} has ${error.problems.length === 1 ? 'a mistake' : `${error.problems.length} mistakes`} (above)`,
      );
      return;
    }
    // Usage and configuration problems in one line; for anything else, the stack in the debug log (ACTIONS_STEP_DEBUG).
    if (error instanceof UsageError || error instanceof RuleConfigError) {
      core.setFailed(escapeControl(error.message));
      return;
    }
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(escapeControl(`kubewire failed: ${(error as Error)?.message ?? String(error)}`));
  }
}

/** The inputs as action.yml declares them; core.getInput reads INPUT_<NAME> (upper-cased, dashes kept). */
export function readActionInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectory = core.getInput('working-directory') || '.';
  const files = core.getMultilineInput('files');
  const failOn = core.getInput('fail-on') || 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'none')
    throw new UsageError(`fail-on must be error, warning or none, not "${failOn}"`);
  const maxWarnings = core.getInput('max-warnings');
  if (maxWarnings !== '' && !/^(-1|\d+)$/.test(maxWarnings))
    throw new UsageError(`max-warnings takes a whole number of warnings (0 or more), or -1 for no limit; not "${maxWarnings}"`);
  const sarifCategory = core.getInput('sarif-category');
  return {
    workspace,
    patterns: (files.length > 0 ? files : ['.']).map((p) => withinDirectory(workingDirectory, p)),
    format: core.getInput('format') || 'stylish',
    sarifFile: core.getInput('sarif-file') || undefined,
    sarifCategory: sarifCategory || undefined,
    failOn,
    maxWarnings: maxWarnings === '' ? -1 : Number(maxWarnings),
    namespace: core.getInput('namespace') || undefined,
    workingDirectory: path.resolve(workspace, workingDirectory),
    configFile: core.getInput('config') || undefined,
  };
}

/** `clusters/prod` + `apps/**` → `clusters/prod/apps/**`; absolute patterns, `-` and negations keep their meaning. */
function withinDirectory(directory: string, pattern: string): string {
  if (pattern === '-' || path.isAbsolute(pattern) || directory === '.') return pattern;
  if (pattern.startsWith('!')) return `!${path.posix.join(directory, pattern.slice(1))}`;
  return path.posix.join(directory, pattern);
}

/**
 * The report goes to the log between stop-commands markers, the runner's own way to print text that must not
 * be read as workflow commands: a file named `::error::x.yaml` cannot forge an annotation. (@actions/core has
 * no function for this command; its syntax is GitHub's, "Stopping and starting workflow commands".)
 */
function printUntrusted(text: string): void {
  if (text === '') return;
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text.endsWith('\n') ? text : `${text}\n`}::${token}::\n`);
}

/** The first errors and warnings as annotations; past GitHub's limit, one notice with the counts. */
function annotate(run: LintRun): void {
  const all = run.results.flatMap((r) => r.messages.map((m) => ({ result: r, message: m })));
  const errors = all.filter((f) => f.message.severity === 2);
  const warnings = all.filter((f) => f.message.severity === 1);
  for (const { result, message } of errors.slice(0, ANNOTATIONS_PER_LEVEL))
    core.error(escapeControl(message.message), annotationOf(result, message));
  for (const { result, message } of warnings.slice(0, ANNOTATIONS_PER_LEVEL))
    core.warning(escapeControl(message.message), annotationOf(result, message));
  if (errors.length > ANNOTATIONS_PER_LEVEL || warnings.length > ANNOTATIONS_PER_LEVEL) {
    core.notice(
      `kubewire found ${errors.length} errors and ${warnings.length} warnings; GitHub shows ${ANNOTATIONS_PER_LEVEL} of each as annotations. ` +
        'Every finding is in the step log and the job summary, and in code scanning when the SARIF file (sarif-file) is uploaded with github/codeql-action/upload-sarif.',
      { title: 'kubewire: more findings than annotations' },
    );
  }
}

function annotationOf(result: LintResult, message: LintMessage): core.AnnotationProperties {
  // The runner ignores columns on an annotation that spans lines.
  const columns = message.line === message.endLine ? { startColumn: message.column, endColumn: message.endColumn } : {};
  return {
    title: escapeControl(`kubewire ${message.ruleId}`),
    file: escapeControl(result.filePath),
    startLine: message.line,
    endLine: message.endLine,
    ...columns,
  };
}

function summaryOf(run: LintRun, inputs: ActionInputs, env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
  return jobSummary({
    results: run.results,
    errorCount: run.errorCount,
    warningCount: run.warningCount,
    suppressedCount: run.suppressedCount,
    wiring: wiringOf(run.graph),
    ruleDocs: Object.fromEntries(Kubewire.rules().map((r) => [r.name, r.meta.docs.url])),
    links: { blobBase: server && repository && sha ? `${server}/${repository}/blob/${sha}/` : undefined },
    inputs: inputs.patterns,
  });
}

function failureOf(run: LintRun, inputs: ActionInputs): string | undefined {
  if (inputs.failOn === 'none') return undefined;
  if (run.errorCount > 0) return `${run.errorCount} error${run.errorCount === 1 ? '' : 's'}`;
  if (inputs.failOn === 'warning' && run.warningCount > 0) return `${run.warningCount} warning${run.warningCount === 1 ? '' : 's'}`;
  if (run.tooManyWarnings) return `${run.warningCount} warnings, more than max-warnings (${run.maxWarnings})`;
  const stale = run.exitStatus === 2 ? run.bulkSuppressions?.stale.length : undefined;
  if (stale)
    return `${stale} entr${stale === 1 ? 'y' : 'ies'} of ${run.bulkSuppressions!.filePath} that no longer occur (run kubewire --prune-suppressions)`;
  return undefined;
}

/** A temporary file, then rename: a failed run leaves no truncated SARIF for the upload step. */
async function writeAtomically(target: string, text: string): Promise<void> {
  const temporary = `${target}.${process.pid}.tmp`;
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(temporary, text);
  await rename(temporary, target);
}

/** The name GitHub's action templates and @github/local-action give the logic's entry point. */
export const run = (): Promise<void> => runAction();
