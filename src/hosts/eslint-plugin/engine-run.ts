import path from 'node:path';
import { Kubewire, type KubewireOptions } from '../../api/kubewire.js';
import type { LintMessage } from '../../engine/results.js';
import type { EngineRequest } from './engine-protocol.js';

/** Runs with different settings or rule options (one per ESLint config block, in practice a handful) each keep theirs. */
const MAX_INSTANCES = 8;
const instances = new Map<string, Kubewire>();

/** One `Kubewire` per configuration, kept for the life of the thread, so that what it loads is loaded once. */
function kubewireFor(request: EngineRequest): Kubewire {
  const options: KubewireOptions = {
    cwd: request.cwd,
    rules: request.rules,
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    ...(request.kubernetesVersion !== undefined ? { kubernetesVersion: request.kubernetesVersion } : {}),
  };
  const key = JSON.stringify(options);
  let kubewire = instances.get(key);
  if (!kubewire) {
    kubewire = new Kubewire(options);
    if (instances.size >= MAX_INSTANCES) instances.delete(instances.keys().next().value!);
    instances.set(key, kubewire);
  }
  return kubewire;
}

/** The findings of one file as the command line gives them, for the rules ESLint runs on it. */
export async function lintForEslint(request: EngineRequest): Promise<LintMessage[]> {
  const relative = path.relative(request.cwd, request.physicalPath);
  // Named as the command line names it: relative to the working directory when the file is below it.
  const filePath = relative.startsWith('..') || path.isAbsolute(relative) ? request.physicalPath : relative;
  const run = await kubewireFor(request).lintText(request.text, { filePath });
  const own = run.results.find((r) => path.resolve(request.cwd, r.filePath) === request.physicalPath);
  return own?.messages ?? [];
}
