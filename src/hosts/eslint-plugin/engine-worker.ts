/**
 * The engine thread of the ESLint plugin: ESLint runs rules synchronously, `Kubewire` reads files and answers
 * asynchronously, so the rules post a request here and block until the answer is in (engine-bridge.ts).
 * Only `node:worker_threads` is imported statically: when the engine cannot be loaded, the error still
 * reaches the waiting thread instead of leaving it to time out.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { EngineRequest, EngineResponse } from './engine-protocol.js';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function answer(response: EngineResponse): void {
  port.postMessage(response);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

try {
  const { lintForEslint } = await import('./engine-run.js');
  port.on('message', (request: EngineRequest) => {
    lintForEslint(request).then(
      (messages) => answer({ ok: true, messages }),
      (error: unknown) => answer({ ok: false, message: (error as Error)?.message ?? String(error) }),
    );
  });
} catch (error) {
  port.on('message', () => answer({ ok: false, message: `kubewire's engine could not be loaded: ${(error as Error).message}` }));
}
