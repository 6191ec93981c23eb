import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { createApp, type SegmentApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import { serverOptionsFromEnv } from "./server-options.ts";

/** The server could not bind its address (port in use, no such host). */
export class ListenError extends Error {
  readonly code = "ERR_LISTEN";
  constructor(message: string) {
    super(message);
    this.name = "ListenError";
  }
}

/** A running Node server. */
export interface NodeServer {
  readonly app: SegmentApp;
  readonly port: number;
  close(): Promise<void>;
}

/** Reads the model files, builds the app and serves it with @hono/node-server on `hostname:port` (0 = any free port). */
export async function startNode(
  options: Omit<AppOptions, "model" | "models"> & { modelPaths: readonly string[]; port?: number; hostname?: string },
): Promise<NodeServer> {
  const { modelPaths, port = 8787, hostname = "127.0.0.1", ...appOptions } = options;
  const models = await Promise.all(
    modelPaths.map(async (p) => ({ bytes: new Uint8Array(await readFile(p)), path: basename(p) })),
  );
  const app = createApp({ ...appOptions, models: models.map((m) => m.bytes) });
  await app.ready;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      server.off("error", fail);
      resolve({
        app,
        port: info.port,
        close: () => new Promise<void>((done) => server.close(() => app.dispose().then(done, done))),
      });
    });
    // A busy port or a bad host is reported as one coded error, not an unhandled 'error' event.
    const fail = (e: NodeJS.ErrnoException) => {
      void app.dispose();
      reject(new ListenError(`cannot listen on ${hostname}:${port}: ${e.code ?? e.message}`));
    };
    server.once("error", fail);
  });
}

// `node --import tsx src/runtimes/node.ts` with BCPSEG_MODELS=a.onnx,b.onnx [PORT, HOST, BCPSEG_TOKEN].
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const o = serverOptionsFromEnv((k) => process.env[k]);
  const s = await startNode(o);
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "node", port: s.port }));
  // Closing the server and the sessions empties the event loop, so the process ends by itself.
  const stop = () => void s.close();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
