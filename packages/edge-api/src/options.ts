import type { Logger } from "./http/logger.ts";
import type { OrtModule } from "./model/ort.ts";

/** ONNX model bytes, optionally with the id to serve it under (default: the contract's name). */
export type ModelSource = Uint8Array | ArrayBuffer | { readonly id?: string; readonly bytes: Uint8Array | ArrayBuffer };

/** Request limits; every one has a default. */
export interface Limits {
  /** Largest request body in bytes (default 32 MiB). */
  readonly bodyBytes?: number;
  /** Largest image in pixels/voxels (default 2^24). */
  readonly voxels?: number;
  /** Time from arrival to the last model run in ms (default 30000); past it: 503 ERR_TIMEOUT. */
  readonly timeoutMs?: number;
  /** Segmentations running at once (default 1: the wasm session runs on one thread). */
  readonly concurrency?: number;
  /** Segmentations waiting for a slot (default 16); one more gets 503 ERR_BUSY with Retry-After. */
  readonly queue?: number;
  /** Retry-After seconds of a 503 (default 1). */
  readonly retryAfterSeconds?: number;
}

/** CORS: `true` allows any origin; or the allowed origin(s). */
export type CorsOption = boolean | { readonly origin: string | readonly string[]; readonly maxAge?: number };

/** Options of createApp. */
export interface AppOptions {
  readonly model?: ModelSource;
  readonly models?: readonly ModelSource[];
  readonly limits?: Limits;
  /** Bearer token(s) required on /v1/* (compared in constant time); none = open. */
  readonly auth?: string | readonly string[];
  readonly cors?: CorsOption;
  /** Structured log sink (default one JSON line per entry on the console). */
  readonly logger?: Logger;
  /** Serve the drop-an-image page at / (default true). */
  readonly page?: boolean;
  /** onnxruntime binding (default onnxruntime-web's wasm build). */
  readonly ort?: OrtModule;
  /** Runs on zeros per model before `ready` (default 5, at most 2 s after the first; 0 = none): a session's first runs are slow. */
  readonly warmup?: number;
  /** wasm threads for onnxruntime-web (default 1; more needs SharedArrayBuffer and workers). */
  readonly threads?: number;
}

/** Limits with defaults filled in. */
export type ResolvedLimits = Required<Limits>;

/** Fills in default limits and checks them. */
export function resolveLimits(limits: Limits = {}): ResolvedLimits {
  const r: ResolvedLimits = {
    bodyBytes: limits.bodyBytes ?? 32 * 2 ** 20,
    voxels: limits.voxels ?? 2 ** 24,
    timeoutMs: limits.timeoutMs ?? 30_000,
    concurrency: limits.concurrency ?? 1,
    queue: limits.queue ?? 16,
    retryAfterSeconds: limits.retryAfterSeconds ?? 1,
  };
  for (const [k, v] of Object.entries(r)) {
    const min = k === "queue" ? 0 : 1;
    if (!Number.isFinite(v) || v < min)
      throw new RangeError(`createApp: limits.${k} must be a number >= ${min}, got ${v}`);
  }
  return r;
}
