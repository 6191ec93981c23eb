import { type SegmentApp, startApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import type { PoolRuntime } from "../pool/pool-protocol.ts";
import { webWorkerSessionPool } from "./web-worker-pool.ts";

/** A running server of a runtime with Web Workers (Bun, Deno). */
export interface WorkerServer {
  readonly app: SegmentApp;
  readonly port: number;
  /** The onnxruntime its sessions run on: "node" (onnxruntime-node) or "web" (the wasm build). */
  readonly runtime: "node" | "web";
  close(): Promise<void>;
}

/** What `startWorkerServer` takes: the app's options, the model files and where to listen. */
export type WorkerServerOptions = Omit<AppOptions, "model" | "models"> & {
  modelPaths: readonly string[];
  port?: number;
  hostname?: string;
  /** onnxruntime of the workers: "auto" (default: onnxruntime-node where the runtime loads it, else onnxruntime-web), "node", "web". */
  runtime?: PoolRuntime;
  /** Web Workers running the sessions (default `limits.concurrency`); 0 runs them in this thread on onnxruntime-web. */
  workers?: number;
};

/** The two things a runtime entry supplies: reading a file and serving a fetch handler. */
export interface RuntimeHost {
  readFile(path: string): Promise<Uint8Array>;
  serve(
    fetch: SegmentApp["fetch"],
    port: number,
    hostname: string,
  ): { readonly port: number; stop(): void | Promise<void> };
}

/**
 * Reads the model files with `host`, builds the app with its sessions on `workers` Web Workers and serves it with
 * `host.serve`; the runtime entries (bun.ts, deno.ts) are this with their runtime's file read and server.
 */
export async function startWorkerServer(options: WorkerServerOptions, host: RuntimeHost): Promise<WorkerServer> {
  const {
    modelPaths,
    port = 8787,
    hostname = "127.0.0.1",
    runtime,
    workers = options.limits?.concurrency ?? 1,
    ...appOptions
  } = options;
  const models = await Promise.all(modelPaths.map((p) => host.readFile(p)));
  const sessions =
    workers > 0 ? webWorkerSessionPool({ size: workers, runtime, threads: appOptions.threads }) : undefined;
  const app = await startApp({ ...appOptions, sessions, models });
  const server = host.serve(app.fetch, port, hostname);
  return {
    app,
    port: server.port,
    runtime: sessions ? await sessions.runtime : "web",
    close: async () => {
      await server.stop();
      await app.dispose();
    },
  };
}
