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

describe("Limiter by expected wait", () => {
  it("measures service time per unit of cost and refuses a job that could not be done by its deadline", async () => {
    const l = new Limiter({ concurrency: 1, queue: 10, retryAfterSeconds: 1 });
    assert.equal(l.serviceMs(100), undefined);
    await l.run(() => new Promise((r) => setTimeout(r, 40)), { cost: 2, key: "m" });
    const rate = (l.serviceMs(1, "m") as number) / 1;
    assert.ok(rate >= 15 && rate < 200, `${rate} ms per unit`);
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const running = l.run(() => gate, { cost: 100, key: "m" });
    const est = rate * 100; // what the running job and each queued one are expected to take
    assert.ok(Math.abs(l.expectedWaitMs() - est) < rate * 5, `${l.expectedWaitMs()} vs ${est}`);
    // Behind the running job it ends by ~2 x est: within 3 x est it queues, within 1.5 x est it is refused.
    const fits = l.run(async () => "fits", { cost: 100, key: "m", deadline: Date.now() + 3 * est });
    let refused: HttpError | undefined;
    await l
      .run(async () => "late", { cost: 100, key: "m", deadline: Date.now() + 2.5 * est })
      .catch((e) => {
        refused = e;
      });
    assert.ok(refused instanceof HttpError && refused.code === "ERR_BUSY", String(refused));
    const d = refused.details as { queued: number; expectedWaitMs: number; serviceMs: number };
    assert.equal(d.queued, 1); // refused by its wait, with the queue far from full
    assert.ok(Math.abs(d.expectedWaitMs - 2 * est) < rate * 5, JSON.stringify(d));
    assert.ok(Math.abs(d.serviceMs - est) < rate * 2, JSON.stringify(d));
    assert.equal(refused.headers["retry-after"], String(Math.max(1, Math.ceil(d.expectedWaitMs / 1000))));
    // No deadline, no wait bound: it queues; a cheap job of another key uses the overall rate.
    const patient = l.run(async () => "patient", { cost: 100 });
    assert.ok(l.serviceMs(1, "other") !== undefined);
    open();
    assert.deepEqual(await Promise.all([running, fits, patient]), [undefined, "fits", "patient"]);
    assert.deepEqual([l.running, l.waiting, l.expectedWaitMs()], [0, 0, 0]);
  });

  it("sheds at arrival (checkRoom) when the queued work alone outlasts the deadline", async () => {
    const l = new Limiter({ concurrency: 1, queue: 10 });
    await l.run(() => new Promise((r) => setTimeout(r, 30)), { cost: 1 });
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const running = l.run(() => gate, { cost: 50 });
    const wait = l.expectedWaitMs();
    assert.ok(wait > 500, `${wait}`);
    assert.doesNotThrow(() => l.checkRoom(0, { deadline: Date.now() + wait + 500 }));
    assert.throws(() => l.checkRoom(0, { deadline: Date.now() + wait / 2 }), { code: "ERR_BUSY" });
    open();
    await running;
  });

  it("does not learn from jobs refused for their input; a job stopped at its deadline counts as at least its time", async () => {
    const l = new Limiter({ concurrency: 1, queue: 1 });
    await assert.rejects(l.run(() => Promise.reject(new Error("x")), { cost: 10 }));
    await assert.rejects(l.run(() => Promise.reject(new HttpError(422, "ERR_SHAPE", "x")), { cost: 10 }));
    assert.equal(l.serviceMs(10), undefined);
    const late = () =>
      new Promise((_, reject) => setTimeout(() => reject(new HttpError(503, "ERR_TIMEOUT", "late")), 40));
    await assert.rejects(l.run(late, { cost: 10 }), { code: "ERR_TIMEOUT" });
    assert.ok((l.serviceMs(10) as number) >= 35, String(l.serviceMs(10)));
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
