import { errorResponse } from "../http/error-response.ts";
import { readModelInfo } from "../model/model-info.ts";
import type { OrtModule } from "../model/ort.ts";
import { runSegmentJob } from "../model/segment-job.ts";
import { type ServedModel, serveModel } from "../model/served-model.ts";
import { TensorLedger } from "../model/tensor-ledger.ts";
import type { PoolFailure, PoolRequest, PoolResponse, PoolRuntime } from "./pool-protocol.ts";

/** A worker's end of its channel to the pool, as each runtime's worker entry provides it. */
export interface WorkerSide {
  post(message: PoolResponse, transfer?: Transferable[]): void;
  onMessage(listener: (message: PoolRequest) => void): void;
  /** Ends the worker once its sessions are released. */
  close(): void;
}

/**
 * The body of a session-pool worker on any runtime: after `init` it loads onnxruntime once (onnxruntime-node,
 * or onnxruntime-web's wasm build), opens each model it is sent once, and serves model runs and whole jobs
 * (decode, segment, encode) on them; inputs and answers move as transferred buffers.
 */
export function serveSessionWorker(side: WorkerSide): void {
  let loaded: Promise<{ ort: OrtModule; name: "node" | "web" }> | undefined;
  let threads = 1;
  const ledger = new TensorLedger();
  const models = new Map<string, ServedModel>();
  const model = (id: string) => {
    const m = models.get(id);
    if (!m) throw new Error(`model "${id}" is not open in this worker`);
    return m;
  };

  side.onMessage(async (m) => {
    if (m.op === "init") {
      threads = m.threads;
      loaded = loadOrt(m.runtime, m.threads);
      loaded.catch(() => {}); // reported by each open
      return;
    }
    if (m.op === "open") {
      try {
        const { ort, name } = await (loaded ?? Promise.reject(new Error("the worker was not initialised")));
        const info = readModelInfo(m.bytes, m.id);
        const sessionOptions =
          name === "node" ? { executionProviders: ["cpu"], intraOpNumThreads: threads, interOpNumThreads: 1 } : {};
        const served = serveModel(m.bytes, info, ort, ledger, { warmup: m.warmup, sessionOptions });
        models.set(m.id, served);
        await served.ready;
        side.post({ op: "opened", id: m.id, runtime: name });
      } catch (e) {
        side.post({ op: "failed", id: m.id, message: String((e as Error)?.message ?? e) });
      }
      return;
    }
    if (m.op === "run") {
      try {
        const own = whole(await model(m.id).run(m.input, m.shape));
        side.post({ op: "result", req: m.req, probs: own }, [own.buffer as ArrayBuffer]);
      } catch (e) {
        side.post({ op: "error", req: m.req, failure: failure(e) });
      }
      return;
    }
    if (m.op === "job") {
      try {
        const result = await runSegmentJob(m.job, model(m.id));
        const body = whole(result.body);
        side.post({ op: "done", req: m.req, result: { ...result, body } }, [body.buffer as ArrayBuffer]);
      } catch (e) {
        side.post({ op: "error", req: m.req, failure: failure(e) });
      }
      return;
    }
    if (m.op === "close") {
      await Promise.all([...models.values()].map((s) => s.dispose()));
      side.post({ op: "closed" });
      side.close();
    }
  });
}

/** onnxruntime-node when asked for and loadable, else onnxruntime-web's wasm build. */
async function loadOrt(runtime: PoolRuntime, threads: number): Promise<{ ort: OrtModule; name: "node" | "web" }> {
  if (runtime !== "web") {
    try {
      // Optional: a missing or unloadable native binding (or, on Deno, no --allow-ffi) falls back to the wasm
      // build, unless "node" was asked for.
      const name = "onnxruntime-node";
      const ort = (await import(name)) as OrtModule;
      return { ort, name: "node" };
    } catch (e) {
      if (runtime === "node") throw e;
    }
  }
  const ort = (await import("onnxruntime-web/wasm")) as OrtModule;
  ort.env.wasm.numThreads = threads;
  return { ort, name: "web" };
}

/** The array itself when it spans its whole buffer (so the buffer can be handed over), else a copy that does. */
function whole<T extends Float32Array | Uint8Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer
    ? a
    : (a.slice() as T);
}

/** A thrown value as the refusal it answers; an internal error keeps its text and stack for the pool's log. */
function failure(e: unknown): PoolFailure {
  const r = errorResponse(e);
  const { code, message, details } = r.body.error;
  const internal = r.status >= 500 && code === "ERR_INTERNAL" ? String((e as Error)?.stack ?? e) : undefined;
  return { status: r.status, code, message, details, headers: r.headers, ...(internal ? { internal } : {}) };
}
