import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "./create-rng.ts";

describe("createRng", () => {
  it("replays the same stream for the same seed", () => {
    const a = createRng(1337);
    const b = createRng(1337);
    for (let i = 0; i < 100; i++) assert.equal(a.nextUint32(), b.nextUint32());
  });

  it("resumes bit-for-bit from a saved state", () => {
    const a = createRng(7);
    for (let i = 0; i < 10; i++) a.random();
    const b = createRng(a.state());
    for (let i = 0; i < 50; i++) assert.equal(a.random(), b.random());
  });

  it("fillUint32 draws what as many nextUint32 calls draw, and leaves the stream where they would", () => {
    for (const n of [0, 1, 7, 1000]) {
      const calls = createRng(42);
      const filled = createRng(42);
      calls.nextUint32();
      filled.nextUint32();
      const want = Uint32Array.from({ length: n }, () => calls.nextUint32());
      const out = new Uint32Array(n);
      assert.equal(filled.fillUint32(out), out);
      assert.deepEqual(out, want);
      assert.deepEqual(filled.state(), calls.state());
      assert.equal(filled.random(), calls.random());
    }
  });

  it("draws randint in [low, high) and covers the range", () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.randint(-2, 3);
      assert.ok(v >= -2 && v < 3 && Number.isInteger(v));
      seen.add(v);
    }
    assert.equal(seen.size, 5);
  });

  it("gives roughly uniform floats in [0, 1)", () => {
    const rng = createRng(11);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = rng.random();
      assert.ok(v >= 0 && v < 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  });

  it("rejects a bad seed and bad bounds with coded errors", () => {
    assert.throws(() => createRng(1.5), { code: "ERR_ARGUMENT" });
    assert.throws(() => createRng(0).randint(3, 3), { code: "ERR_ARGUMENT" });
  });
});
