import { Worker } from "node:worker_threads";
import { HttpError } from "../http/http-error.ts";
import type { ModelInfo } from "../model/model-info.ts";
import { ModelLoadError } from "../model/model-load-error.ts";
import type { ServedModel } from "../model/served-model.ts";
import type { SessionHost } from "../options.ts";
import type { PoolRequest, PoolResponse, PoolRuntime } from "./node-pool-protocol.ts";

/** Options of nodeSessionPool. */
export interface NodeSessionPoolOptions {
  /** Worker threads (default 1; size it as limits.concurrency, one segmentation per worker). */
  readonly size?: number;
  /** onnxruntime per worker: "auto" (default: onnxruntime-node, else onnxruntime-web), "node" or "web". */
  readonly runtime?: PoolRuntime;
  /** Threads each worker's session may use (default 1). */
  readonly threads?: number;
}

/** A session host on worker threads, plus which onnxruntime its workers loaded. */
export type NodeSessionPool = SessionHost & { readonly runtime: Promise<"node" | "web"> };

interface Slot {
  readonly worker: Worker;
  busy: number;
  readonly runs: Map<number, { resolve(p: Float32Array): void; reject(e: Error): void }>;
  readonly opens: Map<string, { resolve(r: "node" | "web"): void; reject(e: Error): void }>;
}

/**
 * Runs every model's sessions in `size` worker threads, each holding its own session of every model (opened
 * once), so inference never blocks the event loop: `/healthz` and cheap routes answer while segmentations run.
 * A run goes to the least busy worker; the input is copied once into a buffer that is transferred, the result
 * comes back transferred.
 */
export function nodeSessionPool(options: NodeSessionPoolOptions = {}): NodeSessionPool {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`nodeSessionPool: size must be >= 1, got ${size}`);
  const workerData = { runtime: options.runtime ?? "auto", threads: options.threads ?? 1 };
  let nextReq = 0;
  let closed = false;
  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = {
      worker: startWorker(workerData),
      busy: 0,
      runs: new Map(),
      opens: new Map(),
    };
    slot.worker.on("message", (m: PoolResponse) => {
      if (m.op === "opened") slot.opens.get(m.id)?.resolve(m.runtime);
      else if (m.op === "failed") slot.opens.get(m.id)?.reject(new Error(m.message));
      else {
        const run = slot.runs.get(m.req);
        slot.runs.delete(m.req);
        if (m.op === "result") run?.resolve(m.probs);
        else run?.reject(new Error(m.message));
      }
    });
    const fail = (e: Error) => {
      for (const r of slot.runs.values()) r.reject(e);
      for (const o of slot.opens.values()) o.reject(e);
      slot.runs.clear();
    };
    slot.worker.on("error", fail);
    slot.worker.on("exit", (code) =>
      fail(closed ? shuttingDown() : new Error(`session worker exited with code ${code}`)),
    );
    return slot;
  });
  const send = (slot: Slot, m: PoolRequest, transfer: ArrayBuffer[] = []) => slot.worker.postMessage(m, transfer);
  let runtimeOf: ((r: "node" | "web") => void) | undefined;
  const runtime = new Promise<"node" | "web">((r) => {
    runtimeOf = r;
  });

  const open = (bytes: Uint8Array, info: ModelInfo, o: { readonly warmup?: number }): ServedModel => {
    let state: "loading" | "ready" | "failed" = "loading";
    const opened = slots.map(
      (slot) =>
        new Promise<"node" | "web">((resolve, reject) => {
          slot.opens.set(info.id, { resolve, reject });
          send(slot, { op: "open", id: info.id, bytes: bytes.slice(), warmup: o.warmup });
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
      isReady: () => state === "ready",
      state: () => state,
      async run(input, shape) {
        await ready;
        if (closed) throw shuttingDown();
        const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
        const req = nextReq++;
        const own = input.slice(); // one copy into a buffer of its own, then moved, not copied again
        slot.busy++;
        try {
          return await new Promise<Float32Array>((resolve, reject) => {
            slot.runs.set(req, { resolve, reject });
            send(slot, { op: "run", req, id: info.id, input: own, shape: [...shape] }, [own.buffer]);
          });
        } finally {
          slot.busy--;
        }
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
        slots.map(async ({ worker }) => {
          const exited = new Promise<void>((r) => worker.once("exit", () => r()));
          worker.postMessage({ op: "close" } satisfies PoolRequest);
          const timer = setTimeout(() => void worker.terminate(), 2000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** What a run still queued or in flight when the pool closes gets: the server is going away, retry elsewhere. */
const shuttingDown = () =>
  new HttpError(503, "ERR_SHUTTING_DOWN", "the server is shutting down, retry later", {
    headers: { "retry-after": "1" },
  });

/**
 * The worker of dist/ is plain JavaScript; run from src/ (tests, `--import tsx`), a worker thread does not
 * inherit tsx's loader hooks, so it registers them first and then imports the TypeScript entry.
 */
function startWorker(workerData: { runtime: PoolRuntime; threads: number }): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL("./node-session-worker.js", import.meta.url), { workerData });
  const entry = new URL("./node-session-worker.ts", import.meta.url).href;
  // Resolved here: an eval worker resolves bare names from the working directory, which may be outside the repo.
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}
