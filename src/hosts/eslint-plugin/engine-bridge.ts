import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { LintMessage } from '../../engine/results.js';
import type { EngineRequest, EngineResponse } from './engine-protocol.js';

/** Longer than loading a large repository as context; a thread that does not answer by then is stuck. */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * A synchronous call into kubewire's asynchronous API, for ESLint's synchronous rules: the request goes to one
 * engine thread (engine-worker.ts) and this thread sleeps on a shared flag (Atomics.wait) until the answer is
 * posted, then takes it off the port without an event loop turn (receiveMessageOnPort). One engine thread per
 * module instance: with `--concurrency`, each ESLint worker thread imports the plugin, so each has its own.
 */
class EngineBridge {
  #worker: Worker | undefined;
  #port: MessagePort | undefined;
  readonly #signal = new Int32Array(new SharedArrayBuffer(4));

  lint(request: EngineRequest): LintMessage[] {
    const port = this.#start();
    Atomics.store(this.#signal, 0, 0);
    port.postMessage(request);
    // The flag, not the wake-up, says the answer is in: the notify of the previous answer may come late and wake
    // this wait early, so sleep again while the flag is still down.
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (Atomics.load(this.#signal, 0) === 0 && Date.now() < deadline) Atomics.wait(this.#signal, 0, 0, deadline - Date.now());
    const received = receiveMessageOnPort(port);
    if (!received) {
      this.#stop();
      throw new Error(`kubewire: no answer from the engine for ${request.physicalPath} after ${ANSWER_TIMEOUT_MS / 1000} s`);
    }
    const answer = received.message as EngineResponse;
    if (!answer.ok) throw new Error(`kubewire: ${request.physicalPath}: ${answer.message}`);
    return answer.messages;
  }

  #start(): MessagePort {
    if (this.#port) return this.#port;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./engine-worker.js', import.meta.url), {
      workerData: { port: port2, signal: this.#signal },
      transferList: [port2],
    });
    // Neither keeps ESLint's process alive once it is done linting.
    worker.unref();
    port1.unref();
    this.#worker = worker;
    this.#port = port1;
    return port1;
  }

  #stop(): void {
    void this.#worker?.terminate();
    this.#port?.close();
    this.#worker = undefined;
    this.#port = undefined;
  }
}

export const engine = new EngineBridge();
