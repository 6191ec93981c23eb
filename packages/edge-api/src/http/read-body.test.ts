import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readBody } from "./read-body.ts";

/** A POST whose body stream yields `pieces` in order. */
function streamed(pieces: Uint8Array[]): Request {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
  });
  return new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit);
}

const concat = (pieces: Uint8Array[]) => {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe("readBody", () => {
  it("gives the bytes of any split of a body, in order (property), and one piece without a copy", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 40 }), async (pieces) => {
        const { bytes, held } = await readBody(streamed(pieces), 1 << 20);
        assert.deepEqual(bytes, concat(pieces));
        assert.equal(held, bytes.length);
      }),
      { numRuns: 200 },
    );
    const one = new Uint8Array(5000).fill(7);
    assert.equal((await readBody(streamed([one]), 1 << 20)).bytes, one);
  });

  it("takes many pieces of a fair size; refuses a body in more than 8192 pieces averaging under 512 bytes", async () => {
    const fair = Array.from({ length: 10_000 }, (_, k) => new Uint8Array(600).fill(k & 255));
    assert.deepEqual((await readBody(streamed(fair), 1 << 24)).bytes, concat(fair));
    const tiny = Array.from({ length: 100_000 }, () => Uint8Array.of(1));
    await assert.rejects(
      readBody(streamed(tiny), 1 << 24),
      (e: { status?: number; code?: string; details?: { pieces: number } }) => {
        assert.equal(e.status, 400);
        assert.equal(e.code, "ERR_BODY_FRAGMENTED");
        assert.equal(e.details?.pieces, 8193);
        return true;
      },
    );
  });

  it("still refuses a body past the limit with 413, however it is split", async () => {
    const pieces = Array.from({ length: 10 }, () => new Uint8Array(1000));
    await assert.rejects(readBody(streamed(pieces), 9999), { code: "ERR_BODY_TOO_LARGE" });
  });
});
