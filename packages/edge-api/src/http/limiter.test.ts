import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { constantTimeEqual } from "./bearer-auth.ts";
import { HttpError } from "./http-error.ts";
import { Limiter } from "./limiter.ts";

describe("Limiter", () => {
  it("runs at most `concurrency` jobs, queues `queue` more, refuses the rest with ERR_BUSY", async () => {
    const l = new Limiter({ concurrency: 2, queue: 1, retryAfterSeconds: 3 });
    let active = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const job = () =>
      l.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((r) => gates.push(r));
        active--;
        return 1;
      });
    const runs = [job(), job(), job()];
    await assert.rejects(
      job(),
      (e) => e instanceof HttpError && e.code === "ERR_BUSY" && e.headers["retry-after"] === "3",
    );
    assert.deepEqual([l.running, l.waiting], [2, 1]);
    gates.shift()?.(); // the first job ends: its slot goes straight to the queued one
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual([l.running, l.waiting, gates.length], [2, 0, 2]);
    for (const g of gates.splice(0)) g();
    assert.deepEqual(await Promise.all(runs), [1, 1, 1]);
    assert.equal(peak, 2);
    assert.deepEqual([l.running, l.waiting], [0, 0]);
  });

  it("frees the slot when a job throws", async () => {
    const l = new Limiter({ concurrency: 1, queue: 0 });
    await assert.rejects(
      l.run(async () => {
        throw new Error("x");
      }),
    );
    assert.equal(await l.run(async () => 2), 2);
  });
});

describe("Limiter by cost and deadline", () => {
  const hold = () => {
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    return { gate, open: () => open() };
  };

  it("refuses a job whose cost would overfill the queue, while cheaper ones still queue", async () => {
    const l = new Limiter({ concurrency: 1, queue: 10, queueCost: 100 });
    const h = hold();
    const first = l.run(() => h.gate);
    const a = l.run(async () => "a", { cost: 60 });
    await assert.rejects(
      l.run(async () => "b", { cost: 41 }),
      { code: "ERR_BUSY" },
    );
    const c = l.run(async () => "c", { cost: 40 });
    assert.deepEqual([l.waiting, l.waitingCost], [2, 100]);
    h.open();
    assert.deepEqual(await Promise.all([first, a, c]), [undefined, "a", "c"]);
    assert.deepEqual([l.running, l.waiting, l.waitingCost], [0, 0, 0]);
  });

  it("takes a job out of the queue with ERR_TIMEOUT at its deadline; the next one still gets the slot", async () => {
    const l = new Limiter({ concurrency: 1, queue: 4, retryAfterSeconds: 2 });
    const h = hold();
    const first = l.run(() => h.gate);
    const late = l.run(async () => "late", { cost: 5, deadline: Date.now() + 20 });
    const patient = l.run(async () => "patient", { cost: 5 });
    await assert.rejects(
      late,
      (e) => e instanceof HttpError && e.code === "ERR_TIMEOUT" && e.headers["retry-after"] === "2",
    );
    assert.deepEqual([l.waiting, l.waitingCost], [1, 5]);
    h.open();
    assert.equal(await patient, "patient");
    await first;
    assert.deepEqual([l.running, l.waiting], [0, 0]);
  });
});

describe("constantTimeEqual", () => {
  it("compares strings of any length", async () => {
    assert.equal(await constantTimeEqual("abc", "abc"), true);
    assert.equal(await constantTimeEqual("abc", "abd"), false);
    assert.equal(await constantTimeEqual("abc", "abcd"), false);
    assert.equal(await constantTimeEqual("", ""), true);
  });
});
