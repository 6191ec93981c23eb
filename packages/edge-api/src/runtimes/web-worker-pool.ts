import type { PoolResponse } from "../pool/pool-protocol.ts";
import { type SessionPool, type SessionPoolOptions, sessionPool, type WorkerPort } from "../pool/session-pool.ts";

// Taken when this module loads: onnxruntime-web's emscripten code, once it initialises in this thread (an app
// with in-thread sessions), sets globalThis.Worker to node:worker_threads' Worker on Bun and Deno alike.
const WebWorker = globalThis.Worker;

/**
 * The session pool (pool/session-pool.ts) on Web Workers, for Bun and Deno: `size` module workers, each with its
 * own session of every model, running whole jobs (decode, segment, encode) off the event loop. Both runtimes run
 * the TypeScript worker entry from src/ as they run the server's.
 */
export function webWorkerSessionPool(options: SessionPoolOptions = {}): SessionPool {
  const ext = import.meta.url.endsWith(".ts") ? "ts" : "js";
  const url = new URL(`./web-session-worker.${ext}`, import.meta.url);
  return sessionPool(() => webPort(new WebWorker(url, { type: "module" })), options);
}

function webPort(worker: Worker): WorkerPort {
  return {
    post: (m, transfer = []) => worker.postMessage(m, transfer),
    onMessage: (listener) => worker.addEventListener("message", (e: MessageEvent<PoolResponse>) => listener(e.data)),
    onExit: (listener) => {
      let told = false;
      worker.addEventListener("error", (e: ErrorEvent) => {
        e.preventDefault(); // reported to the pool's callers, not as an uncaught error of the server
        if (told) return;
        told = true;
        listener(new Error(`session worker failed: ${e.message}`));
      });
    },
    // A Web Worker that called close() is gone already; terminate() makes sure of it.
    end: async () => worker.terminate(),
  };
}
