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

describe("constantTimeEqual", () => {
  it("compares strings of any length", async () => {
    assert.equal(await constantTimeEqual("abc", "abc"), true);
    assert.equal(await constantTimeEqual("abc", "abd"), false);
    assert.equal(await constantTimeEqual("abc", "abcd"), false);
    assert.equal(await constantTimeEqual("", ""), true);
  });
});
