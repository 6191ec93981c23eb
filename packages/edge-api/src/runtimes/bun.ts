import { type SegmentApp, startApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import type { PoolRuntime } from "../pool/pool-protocol.ts";
import { serverOptionsFromEnv } from "./server-options.ts";
import { webWorkerSessionPool } from "./web-worker-pool.ts";

/** A running Bun server. */
export interface BunServer {
  readonly app: SegmentApp;
  readonly port: number;
  /** The onnxruntime its sessions run on: "node" (onnxruntime-node) or "web" (the wasm build). */
  readonly runtime: "node" | "web";
  close(): Promise<void>;
}

/**
 * Reads the model files with Bun.file, builds the app with its sessions on `workers` Web Workers (default
 * `limits.concurrency`; 0 runs them in this thread on onnxruntime-web) and serves it with Bun.serve.
 */
export async function startBun(
  options: Omit<AppOptions, "model" | "models"> & {
    modelPaths: readonly string[];
    port?: number;
    hostname?: string;
    /** onnxruntime of the workers: "auto" (default: onnxruntime-node, which Bun loads, else onnxruntime-web), "node", "web". */
    runtime?: PoolRuntime;
    workers?: number;
  },
): Promise<BunServer> {
  const {
    modelPaths,
    port = 8787,
    hostname = "127.0.0.1",
    runtime,
    workers = options.limits?.concurrency ?? 1,
    ...appOptions
  } = options;
  const models = await Promise.all(modelPaths.map(async (p) => new Uint8Array(await Bun.file(p).arrayBuffer())));
  const sessions =
    workers > 0 ? webWorkerSessionPool({ size: workers, runtime, threads: appOptions.threads }) : undefined;
  const app = await startApp({ ...appOptions, sessions, models });
  const server = Bun.serve({ fetch: app.fetch, port, hostname });
  return {
    app,
    // Bun types the port as optional (a unix-socket server has none); this one listens on TCP.
    port: server.port ?? port,
    runtime: sessions ? await sessions.runtime : "web",
    close: async () => {
      server.stop(true);
      await app.dispose();
    },
  };
}

// `bun --conditions=@bcpseg/source src/runtimes/bun.ts` with BCPSEG_MODELS=... [PORT, HOST, BCPSEG_TOKEN,
// BCPSEG_RUNTIME, BCPSEG_CONCURRENCY, ...: server-options.ts].
if (import.meta.main) {
  const s = await startBun(serverOptionsFromEnv((k) => Bun.env[k]));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "bun", ort: s.runtime, port: s.port }));
  // Closing the server and the workers empties the event loop, so the process ends by itself.
  const stop = () => void s.close();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
