import type { JobResult, SegmentJob } from "../model/segment-job.ts";

/** Which onnxruntime a pool's workers load: "node" (onnxruntime-node, required), "web" (wasm), "auto" (node, else web). */
export type PoolRuntime = "node" | "web" | "auto";

/** Messages from the pool to a worker. */
export type PoolRequest =
  | { readonly op: "init"; readonly runtime: PoolRuntime; readonly threads: number }
  | { readonly op: "open"; readonly id: string; readonly bytes: Uint8Array; readonly warmup?: number }
  | {
      readonly op: "run";
      readonly req: number;
      readonly id: string;
      readonly input: Float32Array;
      readonly shape: readonly number[];
    }
  | { readonly op: "job"; readonly req: number; readonly id: string; readonly job: SegmentJob }
  | { readonly op: "close" };

/** A job's or run's failure as data: the HTTP refusal it maps to (an internal error keeps its text for the log). */
export interface PoolFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;
  /** The original error's text and stack when it is an internal one (status 500). */
  readonly internal?: string;
}

/** Messages from a worker to the pool. */
export type PoolResponse =
  | { readonly op: "opened"; readonly id: string; readonly runtime: "node" | "web" }
  | { readonly op: "failed"; readonly id: string; readonly message: string }
  | { readonly op: "result"; readonly req: number; readonly probs: Float32Array }
  | { readonly op: "done"; readonly req: number; readonly result: JobResult }
  | { readonly op: "error"; readonly req: number; readonly failure: PoolFailure }
  | { readonly op: "closed" };
