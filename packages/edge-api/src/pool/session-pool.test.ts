import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelBytes } from "../../test/helpers.ts";
import { readModelInfo } from "../model/model-info.ts";
import type { SegmentJob } from "../model/segment-job.ts";
import type { PoolRequest, PoolResponse } from "./pool-protocol.ts";
import { sessionPool, type WorkerPort } from "./session-pool.ts";

/** A worker in memory: opens every model, answers each job with its own number; `die` kills it. */
class FakeWorker {
  static all: FakeWorker[] = [];
  readonly number = FakeWorker.all.length;
  #message?: (m: PoolResponse) => void;
  #exit?: (e: Error) => void;
  alive = true;
  /** Refuse to open models (a replacement that cannot serve). */
  static failOpens = false;
  constructor() {
    FakeWorker.all.push(this);
  }
  die(e = new Error("boom")) {
    this.alive = false;
    this.#exit?.(e);
  }
  port(): WorkerPort {
    return {
      post: (m: PoolRequest) => {
        if (!this.alive) return;
        queueMicrotask(() => this.#answer(m));
      },
      onMessage: (l) => {
        this.#message = l;
      },
      onExit: (l) => {
        this.#exit = l;
      },
      end: async () => {
        this.alive = false;
      },
    };
  }
  #answer(m: PoolRequest) {
    if (!this.alive) return;
    const send = (r: PoolResponse) => this.#message?.(r);
    if (m.op === "open")
      send(
        FakeWorker.failOpens ? { op: "failed", id: m.id, message: "no" } : { op: "opened", id: m.id, runtime: "web" },
      );
    else if (m.op === "job") {
      const body = new Uint8Array([this.number]);
      setTimeout(() => {
        if (this.alive) send({ op: "done", req: m.req, result: { body, contentType: "x/y", modelMs: 0 } as never });
      }, 10);
    } else if (m.op === "close") {
      send({ op: "closed" });
      this.alive = false;
    }
  }
}

const job: SegmentJob = {
  bytes: new Uint8Array(4),
  headers: {},
  format: "png",
  probabilities: false,
  rle: true,
  deadline: Infinity,
  elapsedMs: 0,
};
const served = async (p: Promise<{ body: Uint8Array }>) => (await p).body[0];
const until = async (ok: () => boolean, ms = 3000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe("sessionPool: dead workers are replaced", () => {
  it("fails the job a dying worker held, answers 503 ERR_NO_WORKER while none is up, then serves on the replacement", async () => {
    FakeWorker.all = [];
    FakeWorker.failOpens = false;
    const pool = sessionPool(() => new FakeWorker().port(), { size: 1, respawnMs: 20 });
    const bytes = modelBytes()[0];
    const model = pool.open(bytes, readModelInfo(bytes), {});
    await model.ready;
    assert.equal(await served(model.job?.(job) as never), 0);
    // The worker dies with a job in flight: that job fails, nothing hangs.
    const inFlight = model.job?.({ ...job, bytes: new Uint8Array(4) }) as Promise<unknown>;
    await new Promise((r) => setTimeout(r, 2));
    FakeWorker.all[0].die();
    await assert.rejects(inFlight, /boom/);
    assert.equal(model.isReady(), false);
    assert.equal(model.state(), "failed");
    await assert.rejects(model.job?.({ ...job, bytes: new Uint8Array(4) }) as Promise<unknown>, {
      status: 503,
      code: "ERR_NO_WORKER",
    });
    // The replacement opens the model again and serves.
    await until(() => model.isReady());
    assert.equal(pool.spawned(), 2);
    assert.equal(pool.live(), 1);
    assert.equal(await served(model.job?.({ ...job, bytes: new Uint8Array(4) }) as never), 1);
    assert.equal(model.state(), "ready");
    await pool.dispose();
  });

  it("backs off: deaths in a row wait longer each time; a replacement that cannot open a model is retried", async () => {
    FakeWorker.all = [];
    FakeWorker.failOpens = false;
    const pool = sessionPool(() => new FakeWorker().port(), { size: 1, respawnMs: 30, respawnMaxMs: 1000 });
    const bytes = modelBytes()[0];
    const model = pool.open(bytes, readModelInfo(bytes), {});
    await model.ready;
    const gaps: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      FakeWorker.all.at(-1)?.die();
      await until(() => model.isReady());
      gaps.push(performance.now() - t0);
    }
    // 30, 60, 120 ms (timers run late, never early).
    assert.ok(gaps[0] >= 25 && gaps[1] >= 55 && gaps[2] >= 115, gaps.join());
    // A replacement refusing to open is ended and replaced in turn, until one opens.
    FakeWorker.failOpens = true;
    FakeWorker.all.at(-1)?.die();
    await until(() => pool.spawned() >= 7);
    assert.equal(model.isReady(), false);
    FakeWorker.failOpens = false;
    await until(() => model.isReady());
    assert.deepEqual(
      FakeWorker.all.map((w) => w.alive),
      FakeWorker.all.map((_, i) => i === FakeWorker.all.length - 1),
      "every replaced worker was ended",
    );
    await pool.dispose();
  });

  it("starts no replacement once disposed", async () => {
    FakeWorker.all = [];
    FakeWorker.failOpens = false;
    const pool = sessionPool(() => new FakeWorker().port(), { size: 2, respawnMs: 10 });
    const bytes = modelBytes()[0];
    await pool.open(bytes, readModelInfo(bytes), {}).ready;
    FakeWorker.all[0].die();
    await pool.dispose();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pool.spawned(), 2);
  });
});
