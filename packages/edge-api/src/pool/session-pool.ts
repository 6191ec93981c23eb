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
  /**
   * A worker that dies is replaced after this many ms (default 100), doubling for each death in a row up to
   * `respawnMaxMs` (default 5000); a replacement that served for a minute starts the count again.
   */
  readonly respawnMs?: number;
  readonly respawnMaxMs?: number;
}

/** A session host on worker threads, plus which onnxruntime its workers loaded. */
export type SessionPool = SessionHost & {
  readonly runtime: Promise<"node" | "web">;
  /** Workers started in all, replacements included (monitoring, tests). */
  readonly spawned: () => number;
  /** Workers serving now (a replacement counts once it has opened every model). */
  readonly live: () => number;
};

interface Pending<T> {
  resolve(value: T): void;
  reject(e: Error): void;
}

/** One worker place of the pool: the worker now in it, replaced when it dies. */
interface Slot {
  port: WorkerPort;
  /** Bumped for each worker started here (and to disown one): messages and exits of an earlier one are ignored. */
  generation: number;
  busy: number;
  runs: Map<number, Pending<Float32Array> | Pending<JobResult>>;
  opens: Map<string, Pending<"node" | "web">>;
  closed?: () => void;
  /** No worker serves here now: it died (not closed by the pool) and its replacement is not open yet. */
  dead?: boolean;
  /** The worker now in the slot has ended. */
  exited?: boolean;
  /** Deaths in a row (the replacement's backoff doubles with each). */
  deaths: number;
  /** performance.now() when the worker now in the slot started serving. */
  since: number;
  respawn?: ReturnType<typeof setTimeout>;
}

/** A model as the pool opened it, so a replacement worker opens it again. */
interface OpenedModel {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly warmup?: number;
}

/** A replacement that served this long is no longer counted as a death in a row. */
const STABLE_MS = 60_000;

/**
 * Runs every model's sessions in `size` workers started by `spawn`, each holding its own session of every model
 * (opened once), so neither inference nor decoding blocks the event loop: a model's `job` sends a whole
 * accepted request (decode, segment, encode) to the least busy worker, `run` one model run. Bodies, inputs and
 * answers move as transferred buffers. A worker that dies (a crash, an uncaught error, an exit) fails only the
 * work it held; it is replaced with backoff, and serves again once it has opened every model.
 */
export function sessionPool(spawn: () => WorkerPort, options: SessionPoolOptions = {}): SessionPool {
  const size = options.size ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`sessionPool: size must be >= 1, got ${size}`);
  const respawnMs = options.respawnMs ?? 100;
  const respawnMaxMs = Math.max(respawnMs, options.respawnMaxMs ?? 5000);
  let nextReq = 0;
  let closed = false;
  let spawned = 0;
  const opened: OpenedModel[] = [];
  let runtimeOf: ((r: "node" | "web") => void) | undefined;
  const runtime = new Promise<"node" | "web">((r) => {
    runtimeOf = r;
  });

  /** Starts a worker in `slot` and wires its messages and its death to the slot. */
  const start = (slot: Slot): void => {
    const port = spawn();
    spawned++;
    const generation = ++slot.generation;
    slot.port = port;
    slot.exited = false;
    slot.since = performance.now();
    port.onMessage((m) => {
      if (slot.generation !== generation) return; // a message of a worker this one replaced
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
    port.onExit((e) => {
      if (slot.generation !== generation) return;
      slot.dead = true;
      slot.exited = true;
      const reason = closed ? shuttingDown() : e;
      const { runs, opens } = slot;
      slot.runs = new Map();
      slot.opens = new Map();
      for (const r of runs.values()) r.reject(reason);
      for (const o of opens.values()) o.reject(reason);
      slot.closed?.();
      if (!closed) scheduleRespawn(slot);
    });
    port.post({ op: "init", runtime: options.runtime ?? "auto", threads: options.threads ?? 1 });
  };

  /** Opens model `m` in the worker now in `slot`. */
  const openIn = (slot: Slot, m: OpenedModel): Promise<"node" | "web"> =>
    new Promise<"node" | "web">((resolve, reject) => {
      slot.opens.set(m.id, { resolve, reject });
      slot.port.post({ op: "open", id: m.id, bytes: m.bytes.slice(), warmup: m.warmup });
    }).finally(() => slot.opens.delete(m.id));

  /** Replaces the dead worker of `slot` after its backoff; it serves again once every model is open in it. */
  const scheduleRespawn = (slot: Slot): void => {
    if (performance.now() - slot.since >= STABLE_MS) slot.deaths = 0;
    const delay = Math.min(respawnMaxMs, respawnMs * 2 ** slot.deaths);
    slot.deaths++;
    const dead = slot.port;
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined;
      if (closed) return;
      void dead.end();
      start(slot);
      const { port, generation } = slot;
      Promise.all(opened.map((m) => openIn(slot, m))).then(
        () => {
          if (slot.generation === generation && !closed) slot.dead = false;
        },
        () => {
          // It died (its exit schedules the next try), or it cannot open a model: end it and try again.
          if (slot.generation !== generation || closed || slot.exited) return;
          slot.generation++; // disowned: its own exit is not counted again
          slot.exited = true;
          port.post({ op: "close" });
          void port.end();
          scheduleRespawn(slot);
        },
      );
    }, delay);
  };

  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot = { generation: 0, busy: 0, runs: new Map(), opens: new Map(), deaths: 0, since: 0 } as unknown as Slot;
    start(slot);
    return slot;
  });

  /** Sends one request to the least busy worker and waits for its answer. */
  const call = <T>(message: (req: number) => PoolRequest, transfer: Transferable[]): Promise<T> => {
    if (closed) return Promise.reject(shuttingDown());
    const live = slots.filter((x) => !x.dead);
    if (live.length === 0) return Promise.reject(noWorker());
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
    const model: OpenedModel = { id: info.id, bytes, warmup: o.warmup };
    opened.push(model);
    const ready = Promise.all(slots.map((slot) => openIn(slot, model))).then(
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
      // A pool whose workers are all dead serves nothing until a replacement is open: /readyz says so.
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
    spawned: () => spawned,
    live: () => slots.filter((x) => !x.dead).length,
    open,
    async dispose() {
      if (closed) return;
      closed = true;
      await Promise.all(
        slots.map(async (slot) => {
          clearTimeout(slot.respawn);
          if (!slot.exited) {
            const done = new Promise<void>((r) => {
              slot.closed = r;
            });
            slot.port.post({ op: "close" });
            const timer = setTimeout(() => slot.closed?.(), 2000);
            await done;
            clearTimeout(timer);
          }
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

/** What a request gets while every worker is dead and no replacement is open yet: retry shortly. */
const noWorker = () =>
  new HttpError(503, "ERR_NO_WORKER", "every session worker has died; a replacement is starting, retry later", {
    headers: { "retry-after": "1" },
  });

/** What a run still queued or in flight when the pool closes gets: the server is going away, retry elsewhere. */
const shuttingDown = () =>
  new HttpError(503, "ERR_SHUTTING_DOWN", "the server is shutting down, retry later", {
    headers: { "retry-after": "1" },
  });
