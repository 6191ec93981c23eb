import { type SegmentApp, startApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import type { PoolRuntime } from "../pool/pool-protocol.ts";
import { serverOptionsFromEnv } from "./server-options.ts";
import { webWorkerSessionPool } from "./web-worker-pool.ts";

/** A running Deno server. */
export interface DenoServer {
  readonly app: SegmentApp;
  readonly port: number;
  /** The onnxruntime its sessions run on: "node" (onnxruntime-node) or "web" (the wasm build). */
  readonly runtime: "node" | "web";
  close(): Promise<void>;
}

/**
 * Reads the model files with Deno.readFile, builds the app with its sessions on `workers` Web Workers (default
 * `limits.concurrency`; 0 runs them in this thread on onnxruntime-web) and serves it with Deno.serve.
 */
export async function startDeno(
  options: Omit<AppOptions, "model" | "models"> & {
    modelPaths: readonly string[];
    port?: number;
    hostname?: string;
    /** onnxruntime of the workers: "auto" (default: onnxruntime-node given --allow-ffi, else onnxruntime-web), "node", "web". */
    runtime?: PoolRuntime;
    workers?: number;
  },
): Promise<DenoServer> {
  const {
    modelPaths,
    port = 8787,
    hostname = "127.0.0.1",
    runtime,
    workers = options.limits?.concurrency ?? 1,
    ...appOptions
  } = options;
  const models = await Promise.all(modelPaths.map((p) => Deno.readFile(p)));
  const sessions =
    workers > 0 ? webWorkerSessionPool({ size: workers, runtime, threads: appOptions.threads }) : undefined;
  const app = await startApp({ ...appOptions, sessions, models });
  const server = Deno.serve({ port, hostname, onListen: () => {} }, app.fetch);
  return {
    app,
    port: server.addr.port,
    runtime: sessions ? await sessions.runtime : "web",
    close: async () => {
      await server.shutdown();
      await app.dispose();
    },
  };
}

// `deno run -A --conditions=@bcpseg/source src/runtimes/deno.ts` with BCPSEG_MODELS=... [PORT, HOST, BCPSEG_TOKEN,
// BCPSEG_RUNTIME, BCPSEG_CONCURRENCY, ...: server-options.ts].
if (import.meta.main) {
  const s = await startDeno(serverOptionsFromEnv((k) => Deno.env.get(k)));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "deno", ort: s.runtime, port: s.port }));
  // Closing the server and the workers empties the event loop, so the process ends by itself.
  // The signal listeners would keep the process alive: they go first.
  const stop = () => {
    Deno.removeSignalListener("SIGTERM", stop);
    Deno.removeSignalListener("SIGINT", stop);
    void s.close();
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
