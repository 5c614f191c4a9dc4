import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Kubewire, type KubewireOptions, type LintRun } from '../../api/kubewire.js';
import { findConfigFile } from '../../config/discover.js';
import { resolveOptions } from '../../config/index.js';
import { findRepositoryRoot } from '../../engine/context.js';
import type { LintMessage } from '../../engine/results.js';
import type { EngineRequest } from './engine-protocol.js';

/**
 * How often, at most, what a session read is checked against the disk. A command-line run lints its files back
 * to back and checks a few times; an editor, where files are saved between lints, checks before nearly every lint.
 */
const RECHECK_MS = 1_000;

/** Runs with different settings or rule options (one per ESLint config block, in practice a handful) each keep theirs. */
const MAX_SESSIONS = 8;

/**
 * Per configuration and context, what has been read so far, kept while the disk does not change under it:
 * - `wholeRun`: the whole context linted once, as `kubewire <context>` lints it (undefined when the context has
 *   nothing to lint), for files whose text is the one on disk;
 * - `withContext`: a `Kubewire` that reads the context for facts once (`context` option), for text that differs
 *   from the disk (an editor's unsaved buffer), linted in its file's place;
 * - `stamps`: modification time and size of every file they read and of the folders those are in (a file added
 *   to or removed from a folder changes the folder's), taken after their first run.
 */
interface Session {
  options: KubewireOptions;
  operands: string[];
  wholeRun?: Promise<LintRun | undefined>;
  withContext?: Kubewire;
  stamps?: Map<string, string>;
  checkedAt: number;
}

const sessions = new Map<string, Session>();

/**
 * The repository's kubewire.config.yaml as the command line resolves it, once per working directory, settings and
 * version of the file (an editor session sees an edit of it at the next lint).
 */
const resolvedConfigs = new Map<string, KubewireOptions>();

function configOptions(cwd: string, flags: KubewireOptions): KubewireOptions {
  const file = findConfigFile(cwd, cwd);
  const key = JSON.stringify({ cwd, flags, file, version: file !== undefined ? statSync(file, { throwIfNoEntry: false })?.mtimeMs : 0 });
  let options = resolvedConfigs.get(key);
  if (!options) resolvedConfigs.set(key, (options = resolveOptions({ cwd, flags }).options));
  return options;
}

function sessionFor(request: EngineRequest): Session {
  const flags: KubewireOptions = {
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    ...(request.kubernetesVersion !== undefined ? { kubernetesVersion: request.kubernetesVersion } : {}),
  };
  // The config file's namespace, externalPods, ignore and context apply as on the command line (the settings win);
  // which rules run, and with which options, is ESLint's configuration's to say, so its rules and overrides do not.
  const { rules: _rules, overrides: _overrides, context: configContext, ...fromConfig } = configOptions(request.cwd, flags);
  const options: KubewireOptions = { ...fromConfig, cwd: request.cwd, rules: request.rules };
  // The context: the settings' globs (relative to ESLint's working directory), else the config file's, else the
  // file's repository.
  const operands =
    request.context ??
    (configContext !== undefined
      ? [...configContext]
      : path.isAbsolute(request.physicalPath)
        ? [findRepositoryRoot(path.dirname(request.physicalPath)) ?? request.cwd]
        : []);
  const key = JSON.stringify({ options, operands });
  let session = sessions.get(key);
  if (!session) {
    session = { options, operands, checkedAt: 0 };
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(key, session);
  }
  return session;
}

async function stampsOf(paths: Iterable<string>): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  await Promise.all(
    [...paths].map(async (p) => {
      try {
        const s = await stat(p);
        stamps.set(p, `${s.mtimeMs}:${s.size}`);
      } catch {
        stamps.set(p, 'gone');
      }
    }),
  );
  return stamps;
}

/** The files a run read (linted, and context files that hold documents) and their folders, absolute. */
function filesRead(run: LintRun): Set<string> {
  const paths = new Set<string>();
  const add = (filePath: string) => {
    const file = path.resolve(run.cwd, filePath);
    paths.add(file);
    paths.add(path.dirname(file));
  };
  for (const result of run.results) add(result.filePath);
  for (const document of run.graph.documents) add(document.file.path);
  return paths;
}

/** After a session's first run: what to watch. */
async function watch(session: Session, run: LintRun | undefined): Promise<void> {
  if (session.stamps || !run) return;
  session.stamps = await stampsOf(filesRead(run));
  session.checkedAt = Date.now();
}

/** Forgets what the session read when a file it read has changed on disk (checked at most every RECHECK_MS). */
async function dropIfChanged(session: Session): Promise<void> {
  const { stamps } = session;
  if (!stamps || Date.now() - session.checkedAt < RECHECK_MS) return;
  const now = await stampsOf(stamps.keys());
  if ([...now].every(([p, stamp]) => stamps.get(p) === stamp)) {
    session.checkedAt = Date.now();
    return;
  }
  session.wholeRun = undefined;
  session.withContext = undefined;
  session.stamps = undefined;
}

/** The file's text on disk as ESLint hands it to a language (without a byte-order mark); undefined if unreadable. */
async function textOnDisk(file: string): Promise<string | undefined> {
  if (!path.isAbsolute(file)) return undefined;
  return readFile(file, 'utf8').then(
    (text) => text.replace(/^\uFEFF/u, ''),
    () => undefined,
  );
}

/**
 * The findings of one file for the rules ESLint runs on it. When the text ESLint lints is the file on disk (every
 * file of a command-line run), the answer is the whole context's run, as `kubewire <context>` reports the file:
 * the graph is built once for all the files. Other text (an editor's unsaved buffer) is linted with the context
 * in its file's place, as `kubewire --context <context> <file>` lints a changed file: its text wins over the file
 * on disk, and a finding its changes cause in another file is shown on it, at the place that causes it.
 */
export async function lintForEslint(request: EngineRequest): Promise<LintMessage[]> {
  // Named as the command line names it: relative to the working directory when the file is below it.
  // ESLint's lintText without a filePath lints `<text>`, which is no file.
  const relative = path.isAbsolute(request.physicalPath) ? path.relative(request.cwd, request.physicalPath) : request.physicalPath;
  const filePath = relative.startsWith('..') || path.isAbsolute(relative) ? request.physicalPath : relative;
  const session = sessionFor(request);
  await dropIfChanged(session);
  const ownOf = (run: LintRun) =>
    run.results.find((r) => r.filePath === filePath || path.resolve(request.cwd, r.filePath) === request.physicalPath);
  if (session.operands.length > 0 && (await textOnDisk(request.physicalPath)) === request.text) {
    session.wholeRun ??= new Kubewire(session.options).lintFiles(session.operands).catch(() => undefined);
    const run = await session.wholeRun;
    await watch(session, run);
    const own = run && ownOf(run);
    // The run read this very text (not an older version of the file): its findings are this text's.
    if (own && run.sourceOf(own.filePath)?.text === request.text) return own.messages;
  }
  session.withContext ??= new Kubewire({ ...session.options, context: session.operands });
  const run = await session.withContext.lintText(request.text, { filePath });
  await watch(session, run);
  return ownOf(run)?.messages ?? [];
}
