import { createApp, type SegmentApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import { serverOptionsFromEnv } from "./server-options.ts";

/** A running Deno server. */
export interface DenoServer {
  readonly app: SegmentApp;
  readonly port: number;
  close(): Promise<void>;
}

/** Reads the model files with Deno.readFile, builds the app and serves it with Deno.serve. */
export async function startDeno(
  options: Omit<AppOptions, "model" | "models"> & { modelPaths: readonly string[]; port?: number; hostname?: string },
): Promise<DenoServer> {
  const { modelPaths, port = 8787, hostname = "127.0.0.1", ...appOptions } = options;
  const models = await Promise.all(modelPaths.map((p) => Deno.readFile(p)));
  const app = createApp({ ...appOptions, models });
  await app.ready;
  const server = Deno.serve({ port, hostname, onListen: () => {} }, app.fetch);
  return {
    app,
    port: server.addr.port,
    close: async () => {
      await server.shutdown();
      await app.dispose();
    },
  };
}

// `deno run -A --conditions=@bcpseg/source src/runtimes/deno.ts` with BCPSEG_MODELS=... [PORT, HOST, BCPSEG_TOKEN].
if (import.meta.main) {
  const s = await startDeno(serverOptionsFromEnv((k) => Deno.env.get(k)));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "deno", port: s.port }));
}
