import { HttpError } from "../http/http-error.ts";
import type { ModelInfo } from "../model/model-info.ts";
import { ModelLoadError } from "../model/model-load-error.ts";
import type { JobResult, SegmentJob } from "../model/segment-job.ts";
import type { ServedModel } from "../model/served-model.ts";
import type { SessionHost } from "../options.ts";
import type { PoolFailure, PoolRequest, PoolResponse, PoolRuntime } from "./pool-protocol.ts";

/** The pool's end of one worker, as each runtime's pool entry provides it (worker_threads, Web Workers). */
export interface WorkerPort {
  post(message: PoolRequest, transfer?: Transferable[]): void;
  onMessage(listener: (message: PoolResponse) => void): void;
  /** Called once if the worker dies (an uncaught error, or it exits before it was closed). */
  onExit(listener: (error: Error) => void): void;
  /**
   * Waits for the worker to end after it answered `close` (it ends itself), forcing it after a grace period; a
   * native binding still releasing its sessions must not be killed mid-way (onnxruntime-node aborts the process).
   */
  end(): Promise<unknown>;
}

/** Options of sessionPool. */
export interface SessionPoolOptions {
  /** Worker threads (default 1; size it as limits.concurrency, one segmentation per worker). */
  readonly size?: number;
  /** onnxruntime per worker: "auto" (default: onnxruntime-node, else onnxruntime-web), "node" or "web". */
  readonly runtime?: PoolRuntime;
  /** Threads each worker's session may use (default 1). */
  readonly threads?: number;
}

/** A session host on worker threads, plus which onnxruntime its workers loaded. */
export type SessionPool = SessionHost & { readonly runtime: Promise<"node" | "web"> };

interface Pending<T> {
  resolve(value: T): void;
  reject(e: Error): void;
}

interface Slot {
  readonly port: WorkerPort;
  busy: number;
  readonly runs: Map<number, Pending<Float32Array> | Pending<JobResult>>;
  readonly opens: Map<string, Pending<"node" | "web">>;
  closed?: () => void;
  /** The worker died (not closed by the pool): no more work goes to it. */
  dead?: boolean;
}

/**
 * Runs every model's sessions in `size` workers started by `spawn`, each holding its own session of every model
 * (opened once), so neither inference nor decoding blocks the event loop: a model's `job` sends a whole
 * accepted request (decode, segment, encode) to the least busy worker, `run` one model run. Bodies, inputs and
 * answers move as transferred buffers.
 */
export function sessionPool(spawn: () => WorkerPort, options: SessionPoolOptions = {}): SessionPool {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`sessionPool: size must be >= 1, got ${size}`);
  let nextReq = 0;
  let closed = false;
  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = { port: spawn(), busy: 0, runs: new Map(), opens: new Map() };
    slot.port.onMessage((m) => {
      if (m.op === "opened") slot.opens.get(m.id)?.resolve(m.runtime);
      else if (m.op === "failed") slot.opens.get(m.id)?.reject(new Error(m.message));
      else if (m.op === "closed") slot.closed?.();
      else {
        const run = slot.runs.get(m.req);
        slot.runs.delete(m.req);
        if (m.op === "result") (run as Pending<Float32Array> | undefined)?.resolve(m.probs);
        else if (m.op === "done") (run as Pending<JobResult> | undefined)?.resolve(m.result);
        else run?.reject(refusal(m.failure));
      }
    });
    slot.port.onExit((e) => {
      slot.dead = true;
      const reason = closed ? shuttingDown() : e;
      for (const r of slot.runs.values()) r.reject(reason);
      for (const o of slot.opens.values()) o.reject(reason);
      slot.runs.clear();
      slot.closed?.();
    });
    slot.port.post({ op: "init", runtime: options.runtime ?? "auto", threads: options.threads ?? 1 });
    return slot;
  });
  let runtimeOf: ((r: "node" | "web") => void) | undefined;
  const runtime = new Promise<"node" | "web">((r) => {
    runtimeOf = r;
  });

  /** Sends one request to the least busy worker and waits for its answer. */
  const call = <T>(message: (req: number) => PoolRequest, transfer: Transferable[]): Promise<T> => {
    if (closed) return Promise.reject(shuttingDown());
    const live = slots.filter((x) => !x.dead);
    if (live.length === 0) return Promise.reject(new Error("sessionPool: every session worker has died"));
    const slot = live.reduce((a, b) => (b.busy < a.busy ? b : a));
    const req = nextReq++;
    slot.busy++;
    return new Promise<T>((resolve, reject) => {
      slot.runs.set(req, { resolve, reject } as Pending<Float32Array> | Pending<JobResult>);
      slot.port.post(message(req), transfer);
    }).finally(() => {
      slot.busy--;
    });
  };

  const open = (bytes: Uint8Array, info: ModelInfo, o: { readonly warmup?: number }): ServedModel => {
    let state: "loading" | "ready" | "failed" = "loading";
    const opened = slots.map(
      (slot) =>
        new Promise<"node" | "web">((resolve, reject) => {
          slot.opens.set(info.id, { resolve, reject });
          slot.port.post({ op: "open", id: info.id, bytes: bytes.slice(), warmup: o.warmup });
        }),
    );
    const ready = Promise.all(opened).then(
      (names) => {
        state = "ready";
        runtimeOf?.(names[0]);
      },
      (e: unknown) => {
        state = "failed";
        throw new ModelLoadError(
          "ERR_MODEL_SESSION",
          `model "${info.id}": onnxruntime cannot open it: ${String((e as Error)?.message ?? e)}`,
          { cause: e },
        );
      },
    );
    ready.catch(() => {});
    return {
      info,
      ready,
      isReady: () => state === "ready" && slots.some((x) => !x.dead),
      // A pool whose workers all died serves nothing: /readyz says so.
      state: () => (state === "ready" && slots.every((x) => x.dead) ? "failed" : state),
      async run(input, shape) {
        await ready;
        const own = input.slice(); // one copy into a buffer of its own, then moved, not copied again
        return call<Float32Array>(
          (req) => ({ op: "run", req, id: info.id, input: own, shape: [...shape] }),
          [own.buffer],
        );
      },
      async job(job: SegmentJob) {
        await ready;
        // The body moves to the worker; a view into a larger (possibly pooled) buffer is copied first.
        const b = job.bytes;
        const bytes = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();
        return call<JobResult>(
          (req) => ({ op: "job", req, id: info.id, job: { ...job, bytes } }),
          [bytes.buffer as ArrayBuffer],
        );
      },
      dispose: async () => {},
    };
  };

  return {
    runtime,
    open,
    async dispose() {
      if (closed) return;
      closed = true;
      await Promise.all(
        slots.map(async (slot) => {
          const done = new Promise<void>((r) => {
            slot.closed = r;
          });
          slot.port.post({ op: "close" });
          const timer = setTimeout(() => slot.closed?.(), 2000);
          await done;
          clearTimeout(timer);
          for (const r of slot.runs.values()) r.reject(shuttingDown());
          slot.runs.clear();
          await slot.port.end();
        }),
      );
    },
  };
}

/** A worker's refusal as the error the app answers: an HttpError, or an internal error (logged, a bare 500). */
function refusal(f: PoolFailure): Error {
  if (f.internal !== undefined) return new Error(`session worker: ${f.internal}`);
  return new HttpError(f.status, f.code, f.message, { details: f.details, headers: f.headers });
}

/** What a run still queued or in flight when the pool closes gets: the server is going away, retry elsewhere. */
const shuttingDown = () =>
  new HttpError(503, "ERR_SHUTTING_DOWN", "the server is shutting down, retry later", {
    headers: { "retry-after": "1" },
  });
