import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CommandSpec } from "../cli/command.ts";
import { num, str } from "../cli/parse-flags.ts";
import { usageError } from "../errors/cli-error.ts";
import { loadEdge } from "../model/trainer-lib.ts";
import { serveFetch } from "../serve/serve-fetch.ts";

export const serveCommand: CommandSpec = {
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
    threads: { type: "string", placeholder: "n", description: "onnxruntime-web wasm threads", defaultText: "1" },
    concurrency: { type: "string", placeholder: "n", description: "Segmentations running at once", defaultText: "1" },
    quiet: { type: "boolean", short: "q", description: "No request log" },
  },
  examples: [
    "bcpseg serve runs/synth/model-int8-static.onnx --port 8080",
    "BCPSEG_TOKEN=... bcpseg serve m.onnx --token $BCPSEG_TOKEN",
  ],
  async run({ values, positionals, io, json }) {
    if (positionals.length === 0) throw usageError("serve: give at least one .onnx model");
    const edge = await loadEdge();
    const models = await Promise.all(positionals.map((p) => readFile(resolve(io.cwd, p))));
    const cors = str(values, "cors");
    const tokens = values.token as string[] | undefined;
    const app = edge.createApp({
      models: models.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
      auth: tokens && tokens.length > 0 ? tokens : undefined,
      cors: cors === undefined ? undefined : cors === "*" ? true : { origin: cors },
      threads: num(values, "threads", { int: true, min: 1 }),
      limits: { concurrency: num(values, "concurrency", { int: true, min: 1 }) },
      logger: values.quiet === true ? edge.silentLogger : (entry) => io.stderr.write(`${JSON.stringify(entry)}\n`),
    });
    await app.ready;
    const server = await serveFetch(app.fetch, {
      port: num(values, "port", { int: true, min: 0 }) ?? 8787,
      host: str(values, "host"),
    });
    const info = { url: server.url, models: app.models.map((m) => m.info.id) };
    if (json) io.stdout.write(`${JSON.stringify({ listening: info })}\n`);
    else io.stdout.write(`serving ${info.models.join(", ")} at ${server.url}/ (Ctrl-C stops)\n`);
    await waitForAbort(io.signal);
    await server.close();
    await app.dispose();
    return { stopped: info };
  },
};

/** Resolves when `signal` aborts (never without one). */
export function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    if (signal?.aborted) done();
    signal?.addEventListener("abort", () => done(), { once: true });
  });
}
