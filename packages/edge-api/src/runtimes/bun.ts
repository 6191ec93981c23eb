import { createApp, type SegmentApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import { serverOptionsFromEnv } from "./server-options.ts";

// Bun's globals, declared here so the package typechecks without bun-types.
declare const Bun: {
  file(path: string): { arrayBuffer(): Promise<ArrayBuffer> };
  serve(o: { fetch: (r: Request) => Response | Promise<Response>; port: number; hostname: string }): {
    port: number;
    stop(force?: boolean): void;
  };
  env: Record<string, string | undefined>;
};

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
    port: server.port,
    close: async () => {
      server.stop(true);
      await app.dispose();
    },
  };
}

// `bun --conditions=@bcpseg/source src/runtimes/bun.ts` with BCPSEG_MODELS=... [PORT, HOST, BCPSEG_TOKEN].
if ((import.meta as ImportMeta & { main?: boolean }).main) {
  const s = await startBun(serverOptionsFromEnv((k) => Bun.env[k]));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "bun", port: s.port }));
}
