import { serverOptionsFromEnv } from "./server-options.ts";
import { startWorkerServer, type WorkerServer, type WorkerServerOptions } from "./web-worker-server.ts";

/** A running Bun server. */
export type BunServer = WorkerServer;

/**
 * Reads the model files with Bun.file, builds the app with its sessions on `workers` Web Workers (default
 * `limits.concurrency`; 0 runs them in this thread on onnxruntime-web) and serves it with Bun.serve. The default
 * runtime "auto" takes onnxruntime-node, which Bun loads, else onnxruntime-web.
 */
export function startBun(options: WorkerServerOptions): Promise<BunServer> {
  return startWorkerServer(options, {
    readFile: async (p) => new Uint8Array(await Bun.file(p).arrayBuffer()),
    serve: (fetch, port, hostname) => {
      const server = Bun.serve({ fetch, port, hostname });
      // Bun types the port as optional (a unix-socket server has none); this one listens on TCP.
      return { port: server.port ?? port, stop: () => server.stop(true) };
    },
  });
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
