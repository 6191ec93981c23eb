import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeNifti } from "@bcpseg/core";
import fc from "fast-check";
import { f32Bytes, grayPng, modelBytes, niftiVolume } from "../test/helpers.ts";
import { assertError } from "../test/route-suite.ts";
import { createApp, type SegmentApp } from "./app.ts";
import { silentLogger } from "./http/logger.ts";
import { requestCost } from "./model/request-cost.ts";
import { resolveLimits } from "./options.ts";

const post = (body: Uint8Array | string, type: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body: body as BodyInit,
  headers: { "content-type": type, ...headers },
});

/** A gzip NIfTI of `shape` with all-zero float32 voxels: a few hundred bytes for millions of voxels. */
const zeroVolume = (shape: [number, number, number]) =>
  encodeNifti({ data: new Float32Array(shape[0] * shape[1] * shape[2]), shape, dtype: "float32", gzip: true });

describe("cost model: refused with 413 naming the limit, before the work", () => {
  let app: SegmentApp;
  before(async () => {
    app = createApp({ models: modelBytes(), logger: silentLogger });
    await app.ready;
  });
  after(() => app.dispose());

  const refused = async (r: Response, code: string, limit: string) => {
    const e = await assertError(r, 413, code);
    assert.equal(e.details.limit, limit);
    assert.ok(e.details.value > e.details.max, JSON.stringify(e.details));
    assert.match(e.message, new RegExp(`limits\\.${limit}`));
  };

  it("counts the slices a 2D model enlarges to its input size (modelVoxels)", async () => {
    // [2, 2, 4096] NIfTI: 16 Ki voxels in, but 4096 slices of 64x64 = 2^24 model voxels.
    const gz = await zeroVolume([2, 2, 4096]);
    assert.ok(gz.length < 2000);
    await refused(await app.request("/v1/segment", post(gz, "application/gzip")), "ERR_TOO_MUCH_WORK", "modelVoxels");
    // A raw stack of 2,000,000 one-pixel slices: refused by its X-Shape, whatever the body.
    await refused(
      await app.request(
        "/v1/segment",
        post(new Uint8Array(8), "application/octet-stream", { "x-shape": "2000000,1,1" }),
      ),
      "ERR_TOO_MUCH_WORK",
      "modelVoxels",
    );
  });

  it("counts the windows of a 3D model's sliding window (modelVoxels)", async () => {
    const gz = await zeroVolume([1, 1, 32767]);
    const r = await app.request("/v1/segment?model=vnet3d-32", post(gz, "application/gzip"));
    await refused(r, "ERR_TOO_MUCH_WORK", "modelVoxels");
  });

  it("counts what decoding allocates (decodedBytes) and the answer's size (outputBytes)", async () => {
    const small = (limits: { decodedBytes?: number; outputBytes?: number }) =>
      createApp({ models: modelBytes(), logger: silentLogger, limits });
    const a = small({ decodedBytes: 1 << 20 });
    // 520x520 float32: over 1 MiB of float32 image alone.
    const raw = f32Bytes(new Float32Array(520 * 520));
    await refused(
      await a.request("/v1/segment", post(raw, "application/octet-stream", { "x-shape": "520,520" })),
      "ERR_DECODED_TOO_LARGE",
      "decodedBytes",
    );
    const b = small({ outputBytes: 1 << 20 });
    await Promise.all([a.ready, b.ready]);
    // 300x300 with probabilities: 4 classes x 90,000 float32 in base64 is 1.9 MB.
    const png = grayPng(300, 300);
    await refused(
      await b.request("/v1/segment?probabilities=true", post(png, "image/png")),
      "ERR_OUTPUT_TOO_LARGE",
      "outputBytes",
    );
    assert.equal((await b.request("/v1/segment?rle=false", post(png, "image/png"))).status, 200);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it("bounds every answer's body from above (property over shapes and formats)", async () => {
    const limits = resolveLimits();
    const cases = fc.record({
      h: fc.integer({ min: 1, max: 40 }),
      w: fc.integer({ min: 1, max: 40 }),
      s: fc.integer({ min: 1, max: 3 }),
      format: fc.constantFrom("json", "png", "overlay", "nifti", "nifti-gz"),
      probabilities: fc.boolean(),
      noise: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(cases, async ({ h, w, s, format, probabilities, noise }) => {
        const shape = format === "png" ? [h, w] : [s, h, w];
        const n = shape.reduce((a, b) => a * b, 1);
        // Noise gives the labels (and their run-length masks) as many runs as it can.
        const data = Float32Array.from({ length: n }, (_, i) => (noise ? ((i * 2654435761) % 997) / 997 : i / n));
        const q = `format=${format}${probabilities ? "&probabilities=true" : ""}`;
        const r = await app.request(
          `/v1/segment?${q}`,
          post(f32Bytes(data), "application/octet-stream", { "x-shape": shape.join(",") }),
        );
        const body = new Uint8Array(await r.arrayBuffer());
        assert.equal(r.status, 200, new TextDecoder().decode(body));
        const info = app.models[0].info;
        const cost = requestCost(info, shape, shape, 4 * n, {
          format: format as "json",
          probabilities: format === "json" && probabilities,
          rle: true,
        });
        assert.ok(body.length <= cost.outputBytes, `${body.length} > ${cost.outputBytes} for ${q} [${shape}]`);
        assert.ok(cost.outputBytes <= limits.outputBytes);
      }),
      { numRuns: 40 },
    );
  });
});

describe("refusals: the right status and code", () => {
  let app: SegmentApp;
  before(async () => {
    app = createApp({ models: modelBytes(), logger: silentLogger });
    await app.ready;
  });
  after(() => app.dispose());

  it("a body that is not a PNG, sent as image/png, is 400 ERR_FORMAT, not 413 with a size read from it", async () => {
    const fc8 = (b: number) => new Uint8Array(64).fill(b);
    for (const body of [fc8(0xff), fc8(0x41), new TextEncoder().encode("GIF89a........................")]) {
      const e = await assertError(await app.request("/v1/segment", post(body, "image/png")), 400, "ERR_FORMAT");
      assert.match(e.message, /not a PNG/);
    }
    // A real PNG whose IHDR claims a huge size but whose CRC was not fixed: refused as corrupt.
    const png = grayPng(8, 8).slice();
    png.set([0x7f, 0xff, 0xff, 0xff], 16);
    const e = await assertError(await app.request("/v1/segment", post(png, "image/png")), 400, "ERR_FORMAT");
    assert.match(e.message, /CRC/);
    // A damaged data chunk: sized by its (checked) IHDR, then refused when the job decodes it.
    const data = grayPng(8, 8).slice();
    data[data.length - 13] ^= 0xff; // the IDAT's CRC, just before IEND
    const d = await assertError(await app.request("/v1/segment", post(data, "image/png")), 400, "ERR_FORMAT");
    assert.match(d.message, /CRC mismatch in chunk IDAT/);
  });

  it("a strict-JSON error names a bounded number of unknown keys, whatever the body holds", async () => {
    const doc: Record<string, unknown> = { data: "AAAAAA==", shape: [1, 2] };
    for (let i = 0; i < 120; i++) doc[`key${i}_${"x".repeat(2000)}`] = i;
    const body = JSON.stringify(doc);
    const r = await app.request("/v1/segment", post(body, "application/json"));
    const text = await r.clone().text();
    const e = await assertError(r, 400, "ERR_VALIDATION");
    assert.ok(body.length > 200_000 && text.length < 4096, `${text.length} bytes of error`);
    assert.match(e.details[0].message, /unknown keys: .* and 110 more/);
    // Past the structure bounds the body is refused before JSON.parse builds it (50,000 keys; 1 M deep).
    for (const [flood, limit] of [
      [JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))), "maxValues"],
      ["[".repeat(1_000_000), "maxDepth"],
    ]) {
      const f = await assertError(await app.request("/v1/segment", post(flood, "application/json")), 400, "ERR_JSON");
      assert.equal(f.details.limit, limit);
    }
    // The same for the query string.
    const query = Array.from({ length: 500 }, (_, i) => `k${i}=1`).join("&");
    const qr = await app.request(`/v1/segment?${query}`, post(grayPng(8, 8), "image/png"));
    const qt = await qr.clone().text();
    await assertError(qr, 400, "ERR_VALIDATION");
    assert.ok(qt.length < 4096);
  });

  it("a wrong method on a known path is 405 with Allow; an unknown path stays 404", async () => {
    for (const [method, path, allow] of [
      ["GET", "/v1/segment", "POST"],
      ["PUT", "/v1/segment", "POST"],
      ["DELETE", "/healthz", "GET, HEAD"],
      ["POST", "/v1/models", "GET, HEAD"],
      ["PATCH", "/openapi.json", "GET, HEAD"],
    ] as const) {
      const r = await app.request(path, { method });
      const e = await assertError(r, 405, "ERR_METHOD_NOT_ALLOWED");
      assert.equal(r.headers.get("allow"), allow, `${method} ${path}`);
      assert.deepEqual(e.details.allow, allow.split(", "));
    }
    assert.equal((await app.request("/healthz", { method: "HEAD" })).status, 200);
    await assertError(await app.request("/v2/segment", { method: "POST" }), 404, "ERR_NOT_FOUND");
  });

  it("an X-Shape far past the limits is a 4xx, never a 500", async () => {
    for (const shape of ["2000000,1,1", "1,2000000,1", "9007199254740991,1", "1e300,1", "65536,65536,65536"]) {
      const r = await app.request(
        "/v1/segment",
        post(new Uint8Array(16), "application/octet-stream", { "x-shape": shape }),
      );
      assert.ok(r.status >= 400 && r.status < 500, `${shape}: ${r.status}`);
      await r.arrayBuffer();
    }
    // And a NIfTI header declaring 32767^3 voxels.
    const liar = (await niftiVolume([2, 2, 2], false)).slice();
    new DataView(liar.buffer).setInt16(42, 32767, true);
    new DataView(liar.buffer).setInt16(44, 32767, true);
    new DataView(liar.buffer).setInt16(46, 32767, true);
    await assertError(await app.request("/v1/segment", post(liar, "application/x-nifti")), 413, "ERR_TOO_MANY_VOXELS");
  });
});
