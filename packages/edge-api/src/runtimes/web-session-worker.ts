// A Web Worker of the Bun/Deno session pool (web-worker-pool.ts starts it): the shared worker body on `self`.
import type { PoolRequest } from "../pool/pool-protocol.ts";
import { serveSessionWorker } from "../pool/session-worker.ts";

// A worker started from a file: URL has the opaque origin "null", which onnxruntime-web 1.30 takes as a URL base
// when it loads (Deno: "Invalid URL ... with base 'null'"); without `location` it resolves from import.meta.url.
if (globalThis.location?.origin === "null") {
  Object.defineProperty(globalThis, "location", { value: undefined, configurable: true });
}

const scope = globalThis as unknown as {
  postMessage(m: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (e: MessageEvent<PoolRequest>) => void): void;
  close(): void;
};
serveSessionWorker({
  post: (m, transfer = []) => scope.postMessage(m, transfer),
  onMessage: (listener) => scope.addEventListener("message", (e) => listener(e.data)),
  close: () => scope.close(),
});
