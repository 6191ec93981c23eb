import { resolve } from "node:path";
import { defineCommand } from "../cli/command.ts";
import { choice, num } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { loadEdge, loadEdgeNode } from "../model/trainer-lib.ts";

export const serveCommand = defineCommand({
  name: "serve",
  summary: "serve ONNX models over HTTP (the edge API on Node) until interrupted",
  usage: "<model.onnx...> [options]",
  description: "Routes: GET / (page), /healthz, /readyz, /v1/models, /openapi.json; POST /v1/segment.",
  options: {
    port: { type: "string", placeholder: "n", description: "Port (0 = a free one)", defaultText: "8787" },
    host: { type: "string", placeholder: "addr", description: "Interface to listen on", defaultText: "127.0.0.1" },
    token: {
      type: "string",
      multiple: true,
      placeholder: "t",
      description: "Require this bearer token on /v1/* (repeatable)",
    },
    cors: { type: "string", placeholder: "origin", description: "Allow this origin ('*' for any)" },
    threads: { type: "string", placeholder: "n", description: "onnxruntime threads per worker", defaultText: "1" },
    concurrency: {
      type: "string",
      placeholder: "n",
      description: "Segmentations running at once, each on its own worker thread",
      defaultText: "1",
    },
    runtime: {
      type: "string",
      placeholder: "node|web",
      description: "onnxruntime of the workers: node (native) or web (wasm)",
      defaultText: "node when installed, else web",
    },
    quiet: { type: "boolean", short: "q", description: "No request log" },
  },
  jsonLines:
    'a {"listening":{url,models,runtime}} line once serving, then {"stopped":{...}} (or the error) when stopped',
  examples: [
    "bcpseg serve runs/synth/model-int8.onnx --port 8080",
    "BCPSEG_TOKEN=... bcpseg serve m.onnx --token $BCPSEG_TOKEN",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length === 0) throw usageError("serve: give at least one .onnx model");
    const [edge, { startNode }] = await Promise.all([loadEdge(), loadEdgeNode()]);
    const { cors } = values;
    const tokens = values.token;
    const host = values.host ?? "127.0.0.1";
    const server = await startNode({
      modelPaths: positionals.map((p) => resolve(io.cwd, p)),
      port: num(values, "port", { int: true, min: 0 }) ?? 8787,
      hostname: host,
      auth: tokens && tokens.length > 0 ? tokens : undefined,
      cors: cors === undefined ? undefined : cors === "*" ? true : { origin: cors },
      threads: num(values, "threads", { int: true, min: 1 }),
      runtime: choice(values, "runtime", ["node", "web"] as const),
      limits: { concurrency: num(values, "concurrency", { int: true, min: 1 }) },
      logger: values.quiet === true ? edge.silentLogger : (entry) => io.stderr.write(`${JSON.stringify(entry)}\n`),
    });
    const url = serverUrl(host, server.port);
    const info = { url, models: server.app.models.map((m) => m.info.id), runtime: server.runtime };
    if (json) io.stdout.write(`${JSON.stringify({ listening: info })}\n`);
    else
      io.stdout.write(`serving ${info.models.join(", ")} at ${url}/ on onnxruntime-${info.runtime} (Ctrl-C stops)\n`);
    await waitForAbort(io.signal);
    await server.close();
    return { stopped: info };
  },
});

/** Resolves when `signal` aborts (never without one). */
export function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (signal?.aborted) done();
    signal?.addEventListener("abort", () => done(), { once: true });
  });
}

/** The base URL of a server listening on `host:port` (IPv6 hosts in brackets, any-address hosts as loopback). */
export function serverUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
