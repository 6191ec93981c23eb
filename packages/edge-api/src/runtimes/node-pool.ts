import { Worker } from "node:worker_threads";
import type { PoolResponse } from "../pool/pool-protocol.ts";
import { type SessionPool, type SessionPoolOptions, sessionPool, type WorkerPort } from "../pool/session-pool.ts";

export type NodeSessionPoolOptions = SessionPoolOptions & {
  /** Called with each worker thread as it starts (resource monitoring, tests). */
  readonly onWorker?: (worker: Worker) => void;
};
export type NodeSessionPool = SessionPool;

/**
 * The session pool (pool/session-pool.ts) on Node's worker_threads: `size` threads, each with its own session of
 * every model, running whole jobs (decode, segment, encode) off the event loop.
 */
export function nodeSessionPool(options: NodeSessionPoolOptions = {}): NodeSessionPool {
  return sessionPool(() => {
    const worker = startWorker();
    options.onWorker?.(worker);
    return nodePort(worker);
  }, options);
}

function nodePort(worker: Worker): WorkerPort {
  return {
    post: (m, transfer = []) => worker.postMessage(m, transfer as ArrayBuffer[]),
    onMessage: (listener) => worker.on("message", (m: PoolResponse) => listener(m)),
    onExit: (listener) => {
      let told = false;
      const tell = (e: Error) => {
        if (told) return;
        told = true;
        listener(e);
      };
      worker.on("error", tell);
      worker.on("exit", (code) => tell(new Error(`session worker exited with code ${code}`)));
    },
    end: () =>
      new Promise<void>((resolve) => {
        if (worker.threadId < 0) return resolve(); // already gone
        const timer = setTimeout(() => void worker.terminate(), 2000);
        worker.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

/**
 * The worker of dist/ is plain JavaScript; run from src/ (tests, `--import tsx`), a worker thread does not
 * inherit tsx's loader hooks, so it registers them first and then imports the TypeScript entry.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./node-session-worker.js", import.meta.url));
  const entry = new URL("./node-session-worker.ts", import.meta.url).href;
  // Resolved here: an eval worker resolves bare names from the working directory, which may be outside the repo.
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true });
}
