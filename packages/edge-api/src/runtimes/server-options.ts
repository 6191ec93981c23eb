import type { PoolRuntime } from "../pool/pool-protocol.ts";

/** Server settings every runtime entry reads from its environment. */
export interface ServerEnvOptions {
  modelPaths: string[];
  port: number;
  hostname: string;
  auth?: string[];
  cors?: { origin: string[] };
  warmup?: number;
  runtime?: PoolRuntime;
  limits?: { concurrency: number };
}

/**
 * BCPSEG_MODELS (comma-separated .onnx paths, required), PORT (default 8787, 0 = any free), HOST (default
 * 127.0.0.1), BCPSEG_TOKEN (comma-separated bearer tokens), BCPSEG_CORS_ORIGIN (comma-separated origins),
 * BCPSEG_WARMUP (warm-up runs per model before listening, default 5; 0 = none), BCPSEG_RUNTIME (the pool
 * workers' onnxruntime: auto, node, web; default auto), BCPSEG_CONCURRENCY (segmentations at once = pool workers,
 * default 1).
 */
export function serverOptionsFromEnv(env: (key: string) => string | undefined): ServerEnvOptions {
  const list = (k: string) =>
    (env(k) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  const modelPaths = list("BCPSEG_MODELS");
  if (modelPaths.length === 0) throw new Error("set BCPSEG_MODELS to one or more comma-separated .onnx paths");
  const port = Number(env("PORT") ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0..65535, got ${env("PORT")}`);
  const tokens = list("BCPSEG_TOKEN");
  const w = env("BCPSEG_WARMUP");
  const warmup = w === undefined || w === "" ? undefined : Number(w);
  if (warmup !== undefined && !(Number.isInteger(warmup) && warmup >= 0)) {
    throw new Error(`BCPSEG_WARMUP must be a whole number of runs, got ${w}`);
  }
  const origins = list("BCPSEG_CORS_ORIGIN");
  const runtime = env("BCPSEG_RUNTIME") || undefined;
  if (runtime !== undefined && runtime !== "node" && runtime !== "web" && runtime !== "auto") {
    throw new Error(`BCPSEG_RUNTIME must be auto, node or web, got ${runtime}`);
  }
  const c = env("BCPSEG_CONCURRENCY");
  const concurrency = c === undefined || c === "" ? undefined : Number(c);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new Error(`BCPSEG_CONCURRENCY must be a whole number >= 1, got ${c}`);
  }
  return {
    modelPaths,
    port,
    hostname: env("HOST") ?? "127.0.0.1",
    ...(tokens.length ? { auth: tokens } : {}),
    ...(origins.length ? { cors: { origin: origins } } : {}),
    ...(warmup === undefined ? {} : { warmup }),
    ...(runtime === undefined ? {} : { runtime }),
    ...(concurrency === undefined ? {} : { limits: { concurrency } }),
  };
}
