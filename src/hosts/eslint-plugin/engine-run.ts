import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Kubewire, type KubewireOptions, type LintRun } from '../../api/kubewire.js';
import type { LintMessage } from '../../engine/results.js';
import type { EngineRequest } from './engine-protocol.js';
import { findRepositoryRoot } from '../../engine/context.js';

/**
 * How often, at most, a kept run is checked against the disk. A command-line run lints its files back to back
 * and checks a few times; an editor, where files are saved between lints, checks before nearly every lint.
 */
const RECHECK_MS = 1_000;

/** Runs with different settings or rule options (one per ESLint config block, in practice a handful) each keep theirs. */
const MAX_SESSIONS = 8;

/**
 * The whole context linted once, as `kubewire <context>` lints it, and what the disk looked like then: every file
 * read (modification time and size) and the folders they are in (a file added or removed changes its folder's).
 */
interface Snapshot {
  /** None when the context has nothing to lint (or a glob names nothing): each file is then linted on its own. */
  run: LintRun | undefined;
  stamps: Map<string, string>;
  checkedAt: number;
}

/**
 * Per configuration and context: the run over the whole context (every file of it linted), and, for text that
 * differs from the disk, a `Kubewire` that reads the context for facts (`context` option, read once per instance)
 * with the text in place of its file. Both are renewed when a file they read changes on disk.
 */
interface Session {
  options: KubewireOptions;
  operands: string[];
  snapshot?: Promise<Snapshot>;
  withContext?: Kubewire;
}

const sessions = new Map<string, Session>();

function sessionFor(request: EngineRequest): Session {
  const options: KubewireOptions = {
    cwd: request.cwd,
    rules: request.rules,
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    ...(request.kubernetesVersion !== undefined ? { kubernetesVersion: request.kubernetesVersion } : {}),
  };
  // The context: the settings' globs (relative to ESLint's working directory), else the file's repository.
  const operands = request.context ?? (path.isAbsolute(request.physicalPath) ? [findRepositoryRoot(path.dirname(request.physicalPath)) ?? request.cwd] : []);
  const key = JSON.stringify({ options, operands });
  let session = sessions.get(key);
  if (!session) {
    session = { options, operands };
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(key, session);
  }
  return session;
}

async function stampsOf(run: LintRun | undefined): Promise<Map<string, string>> {
  const paths = new Set<string>();
  for (const result of run?.results ?? []) {
    const file = path.resolve(run!.cwd, result.filePath);
    paths.add(file);
    paths.add(path.dirname(file));
  }
  const stamps = new Map<string, string>();
  await Promise.all([...paths].map(async (p) => stamps.set(p, await stampOf(p))));
  return stamps;
}

async function stampOf(p: string): Promise<string> {
  try {
    const s = await stat(p);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'gone';
  }
}

async function takeSnapshot(session: Session): Promise<Snapshot> {
  const run = await new Kubewire(session.options).lintFiles(session.operands).catch(() => undefined);
  return { run, stamps: await stampsOf(run), checkedAt: Date.now() };
}

/** The kept run, or a new one when a file it read has changed on disk since (checked at most every RECHECK_MS). */
async function currentSnapshot(session: Session): Promise<Snapshot> {
  if (session.snapshot) {
    const snapshot = await session.snapshot;
    if (Date.now() - snapshot.checkedAt < RECHECK_MS) return snapshot;
    const now = await stampsOf(snapshot.run);
    const unchanged = [...now].every(([p, stamp]) => snapshot.stamps.get(p) === stamp);
    if (unchanged) {
      snapshot.checkedAt = Date.now();
      return snapshot;
    }
  }
  session.snapshot = takeSnapshot(session);
  session.withContext = undefined;
  return session.snapshot;
}

/**
 * The findings of one file for the rules ESLint runs on it. When the text ESLint lints is the text the context run
 * read from disk (every file of a command-line run), the answer is that run's, as `kubewire <context>` reports
 * the file: the graph is built once for all the files. Other text (an editor's unsaved buffer) is linted with the
 * context in its file's place, as `kubewire --context <context> <file>` lints a changed file: its text wins over
 * the file on disk, and a finding its changes cause in another file is shown on it, at the place that causes it.
 */
export async function lintForEslint(request: EngineRequest): Promise<LintMessage[]> {
  // Named as the command line names it: relative to the working directory when the file is below it.
  // ESLint's lintText without a filePath lints `<text>`, which is no file.
  const relative = path.isAbsolute(request.physicalPath) ? path.relative(request.cwd, request.physicalPath) : request.physicalPath;
  const filePath = relative.startsWith('..') || path.isAbsolute(relative) ? request.physicalPath : relative;
  const session = sessionFor(request);
  const ownOf = (run: LintRun) => run.results.find((r) => r.filePath === filePath || path.resolve(request.cwd, r.filePath) === request.physicalPath);
  if (session.operands.length > 0) {
    const { run } = await currentSnapshot(session);
    const own = run && ownOf(run);
    if (own && run.sourceOf(own.filePath)?.text === request.text) return own.messages;
  }
  session.withContext ??= new Kubewire({ ...session.options, context: session.operands });
  const run = await session.withContext.lintText(request.text, { filePath });
  return ownOf(run)?.messages ?? [];
}
