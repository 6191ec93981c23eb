import { serverOptionsFromEnv } from "./server-options.ts";
import { startWorkerServer, type WorkerServer, type WorkerServerOptions } from "./web-worker-server.ts";

/** A running Deno server. */
export type DenoServer = WorkerServer;

/**
 * Reads the model files with Deno.readFile, builds the app with its sessions on `workers` Web Workers (default
 * `limits.concurrency`; 0 runs them in this thread on onnxruntime-web) and serves it with Deno.serve. The default
 * runtime "auto" takes onnxruntime-node given --allow-ffi, else onnxruntime-web.
 */
export function startDeno(options: WorkerServerOptions): Promise<DenoServer> {
  return startWorkerServer(options, {
    readFile: (p) => Deno.readFile(p),
    serve: (fetch, port, hostname) => {
      const server = Deno.serve({ port, hostname, onListen: () => {} }, fetch);
      return { port: server.addr.port, stop: () => server.shutdown() };
    },
  });
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
