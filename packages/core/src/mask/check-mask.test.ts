import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBinaryMask } from "./check-mask.ts";

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

describe("checkBinaryMask", () => {
  it("accepts 0/1 in any typed array", () => {
    checkBinaryMask("f", "m", Uint8Array.of(0, 1, 1, 0), [2, 2]);
    checkBinaryMask("f", "m", Float32Array.of(1, 0), [2]);
    checkBinaryMask("f", "m", Int32Array.of(1, 1, 1), [3]);
  });

  it("names the function and argument in its errors", () => {
    assert.throws(
      () => checkBinaryMask("mixImages", "mask", Uint8Array.of(0, 2), [2]),
      (e: unknown) => {
        const err = e as { code: string; fn: string; arg: string; message: string };
        return err.code === "ERR_RANGE" && err.fn === "mixImages" && err.arg === "mask" && /index 1/.test(err.message);
      },
    );
    assert.throws(() => checkBinaryMask("f", "m", Float32Array.of(0.5), [1]), code("ERR_RANGE"));
    assert.throws(() => checkBinaryMask("f", "m", Uint8Array.of(0, 1), [3]), code("ERR_SHAPE"));
    assert.throws(() => checkBinaryMask("f", "m", [0, 1], [2]), code("ERR_DTYPE"));
  });
});
