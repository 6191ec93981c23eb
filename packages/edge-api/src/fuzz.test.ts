import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { grayPng, modelBytes, niftiVolume } from "../test/helpers.ts";
import { createApp, type SegmentApp } from "./app.ts";
import { silentLogger } from "./http/logger.ts";

const TYPES = [
  "image/png",
  "application/json",
  "application/octet-stream",
  "application/x-nifti",
  "application/gzip",
  "text/plain",
  "",
  "multipart/form-data",
];

describe("fuzz: malformed bodies", () => {
  let app: SegmentApp;
  let seeds: Uint8Array[];
  before(async () => {
    app = createApp({ models: modelBytes(), logger: silentLogger, limits: { queue: 64 } });
    await app.ready;
    seeds = [
      grayPng(16, 16),
      await niftiVolume([6, 5, 2], false),
      await niftiVolume([6, 5, 2], true),
      new TextEncoder().encode('{"data":"AAAAAA==","shape":[1,1]}'),
    ];
  });
  after(() => app.dispose());

  it("answers a few thousand of them with a 4xx JSON envelope (or a valid 200), never a 5xx, and stays healthy", async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // A valid file cut short or with a byte changed: the decoders must notice (CRC, sizes) or cope.
      fc
        .record({
          seed: fc.nat(3),
          cut: fc.nat(),
          flip: fc.nat(),
          byte: fc.integer({ min: 1, max: 255 }),
          mode: fc.constantFrom("cut", "flip"),
        })
        .map((m) => {
          const s = seeds[m.seed].slice();
          if (m.mode === "cut") return s.slice(0, m.cut % s.length);
          s[m.flip % s.length] ^= m.byte;
          return s;
        }),
      fc.json().map((j) => new TextEncoder().encode(j)),
    );
    const headers = fc.record({
      "content-type": fc.constantFrom(...TYPES),
      "x-shape": fc.constantFrom("4,4", "1,1", "0,5", "-1,2", "a", "3,3,3,3", "2,2"),
      "x-dtype": fc.constantFrom("float32", "int16", "FLOAT32", ""),
    });
    const query = fc.constantFrom(
      "",
      "?format=png",
      "?format=nifti",
      "?model=vnet3d-32",
      "?format=overlay&slice=9",
      "?probabilities=true",
      "?format=x",
    );
    await fc.assert(
      fc.asyncProperty(body, headers, query, async (b, h, q) => {
        const r = await app.request(`/v1/segment${q}`, { method: "POST", body: b as BodyInit, headers: h });
        assert.ok(r.status < 500, `status ${r.status}`);
        if (r.status >= 400) {
          const text = await r.text();
          const e = JSON.parse(text).error;
          assert.equal(typeof e.code, "string");
          assert.equal(typeof e.message, "string");
          assert.doesNotMatch(text, /\.ts:\d+|\bat [\w.]+ \(/);
        } else {
          assert.equal(r.status, 200);
          await r.arrayBuffer();
        }
      }),
      { numRuns: 2500, seed: 42 },
    );
    assert.equal((await app.request("/healthz")).status, 200);
    assert.equal(app.stats().liveTensors, 0);
  });
});
