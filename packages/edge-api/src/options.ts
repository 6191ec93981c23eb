import type { Logger } from "./http/logger.ts";
import type { ModelInfo } from "./model/model-info.ts";
import type { OrtModule } from "./model/ort.ts";
import type { ServedModel } from "./model/served-model.ts";

/**
 * Where the sessions run, when not in the calling thread: `open` serves one model (its `run` may post to a
 * worker) and its `job` may run whole requests there, `dispose` ends them all. The Node, Bun and Deno entries pass
 * a session pool (pool/session-pool.ts).
 */
export interface SessionHost {
  open(bytes: Uint8Array, info: ModelInfo, options: { readonly warmup?: number }): ServedModel;
  dispose(): Promise<void>;
}

/** ONNX model bytes, optionally with the id to serve it under (default: the contract's name). */
export type ModelSource = Uint8Array | ArrayBuffer | { readonly id?: string; readonly bytes: Uint8Array | ArrayBuffer };

/** Request limits; every one has a default. */
export interface Limits {
  /** Largest request body in bytes (default 32 MiB). */
  readonly bodyBytes?: number;
  /** Largest image in pixels/voxels (default 2^24); past it: 413 ERR_TOO_MANY_VOXELS. */
  readonly voxels?: number;
  /**
   * Bytes decoding may allocate: the inflated file (PNG stream, gzip NIfTI, base64) plus the float32 image
   * (default 2^28 = 256 MiB); past it: 413 ERR_DECODED_TOO_LARGE.
   */
  readonly decodedBytes?: number;
  /**
   * Voxels the model is run on: slices x the model's input size (2D), windows x the patch (3D) (default 2^23:
   * 128 slices of 256x256, 256 windows of 32^3); past it: 413 ERR_TOO_MUCH_WORK. The class probabilities held
   * for a 2D stack are this x classes x 4 bytes.
   */
  readonly modelVoxels?: number;
  /** Bytes of the answer's body, probabilities included (default 2^27 = 128 MiB); past it: 413 ERR_OUTPUT_TOO_LARGE. */
  readonly outputBytes?: number;
  /** Time from arrival to the answer's body (upload, decode, queue, model runs, encode) in ms (default 30000). */
  readonly timeoutMs?: number;
  /** Segmentations running at once (default 1: the wasm session runs on one thread). */
  readonly concurrency?: number;
  /** Segmentations waiting for a slot (default 16); one more gets 503 ERR_BUSY with Retry-After. */
  readonly queue?: number;
  /** Model voxels (see `modelVoxels`) waiting in all (default 2^24); a request that would pass it gets 503 ERR_BUSY. */
  readonly queueVoxels?: number;
  /** Request-body bytes buffered across all requests at once (default 2^28); past it: 503 ERR_BUSY. */
  readonly bufferedBytes?: number;
  /**
   * The least Retry-After of a 503, in seconds (default 1); the queue's refusals give the measured wait of the
   * work queued ahead when it is longer.
   */
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
  /** onnxruntime binding (default onnxruntime-web's wasm build), when the sessions run in the calling thread. */
  readonly ort?: OrtModule;
  /** Run the sessions elsewhere (worker threads) instead of in the calling thread with `ort`. */
  readonly sessions?: SessionHost;
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
    decodedBytes: limits.decodedBytes ?? 2 ** 28,
    modelVoxels: limits.modelVoxels ?? 2 ** 23,
    outputBytes: limits.outputBytes ?? 2 ** 27,
    timeoutMs: limits.timeoutMs ?? 30_000,
    concurrency: limits.concurrency ?? 1,
    queue: limits.queue ?? 16,
    queueVoxels: limits.queueVoxels ?? 2 ** 24,
    bufferedBytes: limits.bufferedBytes ?? 2 ** 28,
    retryAfterSeconds: limits.retryAfterSeconds ?? 1,
  };
  for (const [k, v] of Object.entries(r)) {
    const min = k === "queue" ? 0 : 1;
    if (!Number.isFinite(v) || v < min)
      throw new RangeError(`createApp: limits.${k} must be a number >= ${min}, got ${v}`);
  }
  return r;
}
