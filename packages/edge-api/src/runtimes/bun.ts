import { createApp, type SegmentApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import { serverOptionsFromEnv } from "./server-options.ts";

/** A running Bun server. */
export interface BunServer {
  readonly app: SegmentApp;
  readonly port: number;
  close(): Promise<void>;
}

/** Reads the model files with Bun.file, builds the app and serves it with Bun.serve. */
export async function startBun(
  options: Omit<AppOptions, "model" | "models"> & { modelPaths: readonly string[]; port?: number; hostname?: string },
): Promise<BunServer> {
  const { modelPaths, port = 8787, hostname = "127.0.0.1", ...appOptions } = options;
  const models = await Promise.all(modelPaths.map(async (p) => new Uint8Array(await Bun.file(p).arrayBuffer())));
  const app = createApp({ ...appOptions, models });
  await app.ready;
  const server = Bun.serve({ fetch: app.fetch, port, hostname });
  return {
    app,
    // Bun types the port as optional (a unix-socket server has none); this one listens on TCP.
    port: server.port ?? port,
    close: async () => {
      server.stop(true);
      await app.dispose();
    },
  };
}

// `bun --conditions=@bcpseg/source src/runtimes/bun.ts` with BCPSEG_MODELS=... [PORT, HOST, BCPSEG_TOKEN].
if (import.meta.main) {
  const s = await startBun(serverOptionsFromEnv((k) => Bun.env[k]));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "bun", port: s.port }));
}
