import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type RequestListener, type ServerOptions } from "node:http";
import type { Socket } from "node:net";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { BcpError } from "@bcpseg/core";
import { serve } from "@hono/node-server";
import { type SegmentApp, startApp } from "../app.ts";
import type { AppOptions } from "../options.ts";
import type { PoolRuntime } from "../pool/pool-protocol.ts";
import { nodeSessionPool } from "./node-pool.ts";
import { serverOptionsFromEnv } from "./server-options.ts";

/** The server could not bind its address (port in use, no such host). */
export class ListenError extends BcpError<"ERR_LISTEN"> {
  constructor(message: string) {
    super("ERR_LISTEN", message, { kind: "unavailable" });
    this.name = "ListenError";
  }
}

/** A running Node server. */
export interface NodeServer {
  readonly app: SegmentApp;
  readonly port: number;
  /** The onnxruntime its sessions run on: "node" (onnxruntime-node) or "web" (the wasm build). */
  readonly runtime: "node" | "web";
  close(): Promise<void>;
}

/** Transport limits of the Node server (the app's own limits are `limits`). */
export interface NodeServerLimits {
  /** Open connections at once (default 1024); more are closed as they arrive. */
  readonly connections?: number;
  /** Time to receive a request's headers in ms (default 10000), from the connection's opening for its first request. */
  readonly headersTimeoutMs?: number;
  /** Time to receive a whole request in ms (default: the app's `limits.timeoutMs` + 1000); then 408 and close. */
  readonly requestTimeoutMs?: number;
  /** Idle time of a kept-alive connection in ms (default 5000). */
  readonly keepAliveTimeoutMs?: number;
}

/** Reads the model files, builds the app and serves it with @hono/node-server on `hostname:port` (0 = any free port). */
export async function startNode(
  options: Omit<AppOptions, "model" | "models"> & {
    modelPaths: readonly string[];
    port?: number;
    hostname?: string;
    server?: NodeServerLimits;
    /** onnxruntime of the worker threads: "auto" (default: onnxruntime-node, else onnxruntime-web), "node", "web". */
    runtime?: PoolRuntime;
    /** Worker threads running the sessions (default `limits.concurrency`); 0 runs them on the event loop with `ort`. */
    workers?: number;
  },
): Promise<NodeServer> {
  const {
    modelPaths,
    port = 8787,
    hostname = "127.0.0.1",
    server: transport = {},
    runtime,
    workers = options.limits?.concurrency ?? 1,
    ...appOptions
  } = options;
  const models = await Promise.all(
    modelPaths.map(async (p) => ({ bytes: new Uint8Array(await readFile(p)), path: basename(p) })),
  );
  const sessions = workers > 0 ? nodeSessionPool({ size: workers, runtime, threads: appOptions.threads }) : undefined;
  const app = await startApp({ ...appOptions, sessions, models: models.map((m) => m.bytes) });
  const ortName = sessions ? await sessions.runtime : "web";
  const headersTimeout = transport.headersTimeoutMs ?? 10_000;
  const requestTimeout = transport.requestTimeoutMs ?? (appOptions.limits?.timeoutMs ?? 30_000) + 1000;
  return new Promise((resolve, reject) => {
    const serverOptions = {
      headersTimeout,
      requestTimeout: Math.max(requestTimeout, headersTimeout),
      keepAliveTimeout: transport.keepAliveTimeoutMs ?? 5000,
      // How often Node checks the two timeouts above (its default, 30 s, would let them run that much late).
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    };
    const server = serve(
      { fetch: app.fetch, port, hostname, serverOptions, createServer: fastListener(app) },
      (info) => {
        server.off("error", fail);
        resolve({
          app,
          port: info.port,
          runtime: ortName,
          close: () => new Promise<void>((done) => server.close(() => app.dispose().then(done, done))),
        });
      },
    );
    // A busy port or a bad host is reported as one coded error, not an unhandled 'error' event.
    const fail = (e: NodeJS.ErrnoException) => {
      void app.dispose();
      reject(new ListenError(`cannot listen on ${hostname}:${port}: ${e.code ?? e.message}`));
    };
    server.once("error", fail);
    server.maxConnections = transport.connections ?? 1024;
    // Node's headersTimeout starts with a request's first byte: a connection that never sends one is closed here.
    server.on("connection", (socket: Socket) => {
      const timer = setTimeout(() => socket.destroy(), headersTimeout);
      timer.unref();
      socket.once("data", () => clearTimeout(timer));
      socket.once("close", () => clearTimeout(timer));
    });
  });
}

/**
 * Node's http.createServer with the app's fast answers (GET /healthz, a shed 503) written in the raw request
 * listener, before @hono/node-server builds a Request for the app: under a retry flood every refusal costs a
 * fraction, and /healthz waits behind less. Everything else goes to the app.
 */
function fastListener(app: SegmentApp): typeof createServer {
  // Refusals wait for the end of the event loop's pass over the ready sockets (setImmediate), then go out
  // together: under a flood a pass parses hundreds of requests, and writing each refusal (a syscall, and on
  // loopback the receiving side's TCP work too) in the middle of it delayed every request parsed after it,
  // /healthz included, which is answered at once.
  let deferred: Array<() => void> = [];
  const flush = () => {
    const now = deferred;
    deferred = [];
    for (const write of now) write();
  };
  return ((options: ServerOptions, listener: RequestListener) =>
    createServer(options, (req, res) => {
      const a = app.fastAnswer(req.method ?? "GET", req.url ?? "/", (name) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(", ") : v;
      });
      if (!a) return listener(req, res);
      const write = () => {
        res.writeHead(a.status, { ...a.headers, "content-length": Buffer.byteLength(a.body) });
        res.end(a.body);
      };
      if (a.status === 200) write();
      else {
        if (deferred.length === 0) setImmediate(flush);
        deferred.push(write);
      }
      // A refused body still arriving is drained for a while, then the connection closed (as @hono/node-server
      // does for the app's answers).
      if (!req.complete) drain(req);
    })) as typeof createServer;
}

function drain(req: IncomingMessage): void {
  const close = () => {
    if (!req.complete) req.socket.destroySoon();
  };
  const timer = setTimeout(close, 500);
  timer.unref();
  let bytes = 0;
  req.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > 64 * 2 ** 20) close();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("error", () => clearTimeout(timer));
}

// `node --import tsx src/runtimes/node.ts` with BCPSEG_MODELS=a.onnx,b.onnx [PORT, HOST, BCPSEG_TOKEN,
// BCPSEG_RUNTIME, BCPSEG_CONCURRENCY, ...: server-options.ts].
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startNode(serverOptionsFromEnv((k) => process.env[k]));
  console.log(JSON.stringify({ level: "info", msg: "listening", runtime: "node", ort: s.runtime, port: s.port }));
  // Closing the server and the sessions empties the event loop, so the process ends by itself.
  const stop = () => void s.close();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
