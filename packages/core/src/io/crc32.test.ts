import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { crc32 } from "./crc32.ts";

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("crc32", () => {
  it("matches the standard check values", () => {
    assert.equal(crc32(ascii("123456789")), 0xcbf43926);
    assert.equal(crc32(ascii("IEND")), 0xae426082);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it("reads only the given range", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 8 }), (a, pad) => {
        const both = new Uint8Array([...pad, ...a, ...pad]);
        assert.equal(crc32(both, pad.length, pad.length + a.length), crc32(a));
      }),
    );
  });
});
