import { softmax } from "@bcpseg/core";
import type { ModelInfo } from "./model-info.ts";
import { ModelLoadError } from "./model-load-error.ts";
import type { OrtModule, OrtSession } from "./ort.ts";
import type { JobResult, SegmentJob } from "./segment-job.ts";
import type { TensorLedger } from "./tensor-ledger.ts";

/** A model with its one onnxruntime session (created once, reused by every request). */
export interface ServedModel {
  readonly info: ModelInfo;
  /** Resolves when the session exists; rejects with ModelLoadError ERR_MODEL_SESSION. */
  readonly ready: Promise<void>;
  isReady(): boolean;
  /** "loading" until the session opens, then "ready" or "failed". */
  state(): "loading" | "ready" | "failed";
  /** Class probabilities Float32Array [N, C, ...spatial] for a float32 input laid out `shape` ([N, 1, ...spatial]). */
  run(input: Float32Array, shape: readonly number[]): Promise<Float32Array>;
  /**
   * Runs a whole accepted request (decode, segment, encode) where the session lives — a pool worker — so none of
   * it blocks the caller's event loop. Absent for a session in the calling thread: the route runs the job there.
   */
  job?(job: SegmentJob): Promise<JobResult>;
  dispose(): Promise<void>;
}

/**
 * Opens the session of `info`'s bytes with the wasm execution provider (or `sessionOptions`') and wraps it. Before `ready`, up to
 * `warmup` runs (default 5; at most 2 s after the first) on a zero input of the contract's size: a session's
 * first runs are several times slower (kernel preparation, wasm memory growth, and V8 compiling the hot wasm
 * functions again with its optimising tier), and no request should pay for them.
 */
export function serveModel(
  bytes: Uint8Array,
  info: ModelInfo,
  ort: OrtModule,
  ledger: TensorLedger,
  options: { readonly warmup?: number; readonly sessionOptions?: Record<string, unknown> } = {},
): ServedModel {
  let session: OrtSession | undefined;
  let failed = false;
  const ready = ort.InferenceSession.create(bytes, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
    ...options.sessionOptions,
  }).then(
    async (s) => {
      await warmUp(s, info, ort, options.warmup ?? 5);
      session = s;
    },
    (e: unknown) => {
      failed = true;
      throw new ModelLoadError("ERR_MODEL_SESSION", `model "${info.id}": onnxruntime cannot open it: ${String(e)}`, {
        cause: e,
      });
    },
  );
  ready.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  return {
    info,
    ready,
    isReady: () => session !== undefined,
    state: () => (session ? "ready" : failed ? "failed" : "loading"),
    async run(input, shape) {
      await ready;
      const s = session as OrtSession;
      const x = ledger.track(new ort.Tensor("float32", input, [...shape]));
      let out: Record<string, { dispose(): void; data: unknown; dims: readonly number[] }> | undefined;
      try {
        out = await s.run({ [s.inputNames[0]]: x });
        for (const k of Object.keys(out)) ledger.track(out[k]);
        const name = s.outputNames.includes("probs") ? "probs" : s.outputNames[0];
        const t = out[name];
        if (!(t.data instanceof Float32Array)) throw new Error(`output "${name}" is not float32`);
        // A model without a softmax output ("logits") gets one here, so callers always see probabilities.
        return name === "probs" ? t.data : softmax(t.data, t.dims);
      } finally {
        ledger.release(x, ...(out ? Object.values(out) : []));
      }
    },
    async dispose() {
      await ready.catch(() => {});
      await session?.release();
      session = undefined;
    },
  };
}

/** Up to `runs` runs on zeros [1, C, ...size]; a failure is left for the first request to report (as a 500). */
async function warmUp(s: OrtSession, info: ModelInfo, ort: OrtModule, runs: number): Promise<void> {
  const { size, channels } = info.contract.input;
  const shape = [1, channels, ...size];
  const x = new ort.Tensor("float32", new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
  const t0 = Date.now();
  try {
    for (let i = 0; i < runs && (i === 0 || Date.now() - t0 < 2000); i++) {
      const out = await s.run({ [s.inputNames[0]]: x });
      for (const t of Object.values(out)) t.dispose();
    }
  } catch {
    // the model opened; whether it runs is each request's answer
  } finally {
    x.dispose();
  }
}
