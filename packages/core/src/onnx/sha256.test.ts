import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sha256Hex } from "./sha256.ts";

const enc = new TextEncoder();
const webCrypto = async (b: Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b as Uint8Array<ArrayBuffer>)), (x) =>
    x.toString(16).padStart(2, "0"),
  ).join("");

describe("sha256Hex", () => {
  it("gives the FIPS 180-4 test vectors", () => {
    assert.equal(sha256Hex(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert.equal(sha256Hex(enc.encode("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(
      sha256Hex(enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("agrees with Web Crypto at every padding boundary and on views into larger buffers", async () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
      assert.equal(sha256Hex(b), await webCrypto(b), `length ${n}`);
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.nat(16), async (b, skip) => {
        const view = new Uint8Array(b.length + skip + 3).subarray(skip, skip + b.length);
        view.set(b);
        assert.equal(sha256Hex(view), await webCrypto(b));
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});
