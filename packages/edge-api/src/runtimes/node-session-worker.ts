// A worker thread of the Node session pool (node-pool.ts starts it): the shared worker body on parentPort.
import { parentPort } from "node:worker_threads";
import type { PoolRequest } from "../pool/pool-protocol.ts";
import { serveSessionWorker } from "../pool/session-worker.ts";

const port = parentPort;
if (!port) throw new Error("node-session-worker.ts runs as a worker thread of node-pool.ts");
serveSessionWorker({
  post: (m, transfer = []) => port.postMessage(m, transfer as ArrayBuffer[]),
  onMessage: (listener) => port.on("message", (m: PoolRequest) => listener(m)),
  close: () => port.close(),
});
