import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpError } from "../http/http-error.ts";
import { mediaTypeParameter, multipartWatch, parseMultipart } from "./multipart.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof HttpError);
    return `${e.status} ${e.code}`;
  }
  return "ok";
};

describe("parseMultipart", () => {
  it("splits parts (hand table): preamble, epilogue, padding, empty headers and bodies, CRLF inside a body", () => {
    const body = enc(
      "preamble\r\n--b\r\nContent-Type: application/dicom\r\n\r\nAB\r\n--b  \r\n\r\n\r\n--b\r\nX-A: 1\r\n\r\nC\r\n-D\r\n--b--\r\nepilogue",
    );
    const parts = parseMultipart(body, "multipart/related; boundary=b");
    assert.deepEqual(
      parts.map((p) => [p.headers, text(p.body)]),
      [
        [{ "content-type": "application/dicom" }, "AB"],
        [{}, ""],
        [{ "x-a": "1" }, "C\r\n-D"],
      ],
    );
    // A body that opens with the delimiter; a quoted boundary.
    const q = parseMultipart(enc("--a b\r\n\r\nZ\r\n--a b--"), 'multipart/form-data; boundary="a b"');
    assert.deepEqual(
      q.map((p) => text(p.body)),
      ["Z"],
    );
  });

  it("refuses lying or missing boundaries, no close delimiter, and bounds parts and header blocks", () => {
    const ok = enc("--b\r\n\r\nx\r\n--b--");
    assert.equal(
      code(() => parseMultipart(ok, "multipart/related")),
      "400 ERR_MULTIPART",
    );
    assert.equal(
      code(() => parseMultipart(ok, "multipart/related; boundary=c")),
      "400 ERR_MULTIPART",
    );
    assert.equal(
      code(() => parseMultipart(ok, `multipart/related; boundary=${"x".repeat(71)}`)),
      "400 ERR_MULTIPART",
    );
    assert.equal(
      code(() => parseMultipart(enc("--b\r\n\r\nx\r\n--b"), "multipart/related; boundary=b")),
      "400 ERR_MULTIPART",
    );
    assert.equal(
      code(() => parseMultipart(enc("--b\r\n\r\nx"), "multipart/related; boundary=b")),
      "400 ERR_MULTIPART",
    );
    assert.equal(
      code(() => parseMultipart(enc("--bx\r\n\r\nx\r\n--b--"), "multipart/related; boundary=b")),
      "400 ERR_MULTIPART",
    );
    const three = enc("--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n--b\r\n\r\n3\r\n--b--");
    assert.equal(
      code(() => parseMultipart(three, "multipart/related; boundary=b", { maxParts: 2 })),
      "413 ERR_MULTIPART_LIMIT",
    );
    assert.equal(
      code(() => parseMultipart(three, "multipart/related; boundary=b", { maxParts: 3 })),
      "ok",
    );
    const big = enc(`--b\r\nX: ${"y".repeat(100)}\r\n\r\n1\r\n--b--`);
    assert.equal(
      code(() => parseMultipart(big, "multipart/related; boundary=b", { maxHeaderBytes: 50 })),
      "413 ERR_MULTIPART_LIMIT",
    );
    assert.equal(
      code(() => parseMultipart(three, "multipart/related; boundary=b", { maxPartBytes: 0 })),
      "413 ERR_MULTIPART_LIMIT",
    );
  });

  it("is linear on a body of delimiter look-alikes", () => {
    const body = enc(`--b\r\n\r\n${"\r\n--".repeat(500_000)}\r\n--b--`);
    const t = performance.now();
    assert.equal(parseMultipart(body, "multipart/related; boundary=b").length, 1);
    assert.ok(performance.now() - t < 2000);
  });

  it("reads media type parameters (token or quoted string)", () => {
    assert.equal(
      mediaTypeParameter('multipart/related; type="application/dicom"; boundary=x', "type"),
      "application/dicom",
    );
    assert.equal(mediaTypeParameter("multipart/related; Boundary=x", "boundary"), "x");
    assert.equal(mediaTypeParameter("multipart/related", "boundary"), undefined);
  });

  it("multipartWatch refuses too many parts and long header blocks as the chunks arrive, at any split", () => {
    const type = "multipart/related; boundary=bb";
    const body = (n: number, header = "Content-Type: application/dicom") =>
      enc(`${Array.from({ length: n }, (_, k) => `--bb\r\n${header}\r\n\r\nbody ${k}\r\n--b\r\n`).join("")}--bb--\r\n`);
    /** Feeds `bytes` in chunks of `size`: the index of the chunk the watcher refused, or -1. */
    const feed = (bytes: Uint8Array, size: number, limits = {}) => {
      const watch = multipartWatch(type, limits);
      assert.ok(watch);
      for (let at = 0, k = 0; at < bytes.length; at += size, k++) {
        try {
          watch(bytes.subarray(at, at + size));
        } catch (e) {
          assert.ok(e instanceof HttpError && e.status === 413 && e.code === "ERR_MULTIPART_LIMIT");
          return { k, limit: (e.details as { limit: string }).limit, of: Math.ceil(bytes.length / size) };
        }
      }
      return { k: -1 };
    };
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const ok = body(5);
      assert.equal(parseMultipart(ok, type).length, 5);
      assert.equal(feed(ok, size, { maxParts: 5 }).k, -1, `size ${size}`);
      const many = feed(body(40), size, { maxParts: 5 });
      assert.equal(many.limit, "parts");
      if (size < 64) assert.ok(many.k < many.of / 2, `refused at chunk ${many.k} of ${many.of}`);
      const long = feed(body(2, `X-Pad: ${"p".repeat(5000)}`), size, { maxHeaderBytes: 100 });
      assert.equal(long.limit, "headerBytes");
    }
    assert.equal(multipartWatch("multipart/related"), undefined);
  });
});
