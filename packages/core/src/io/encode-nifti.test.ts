import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeNifti } from "./decode-nifti.ts";
import { encodeNifti } from "./encode-nifti.ts";
import type { NiftiDtype } from "./nifti-dtype.ts";

const ARRAYS = {
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

describe("encodeNifti", () => {
  it("writes the header fields a reader needs (hand table)", async () => {
    const bytes = encodeNifti({
      data: Uint8Array.from([1, 2, 3, 4, 5, 6]),
      shape: [1, 2, 3],
      spacing: [2, 3, 4],
    });
    const v = new DataView(bytes.buffer);
    assert.equal(bytes.length, 352 + 6);
    assert.equal(v.getInt32(0, true), 348);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((k) => v.getInt16(40 + 2 * k, true)),
      [3, 1, 2, 3, 1],
    );
    assert.deepEqual([v.getInt16(70, true), v.getInt16(72, true)], [2, 8]);
    assert.deepEqual(
      [1, 2, 3].map((k) => v.getFloat32(76 + 4 * k, true)),
      [2, 3, 4],
    );
    assert.equal(v.getFloat32(108, true), 352);
    assert.equal(String.fromCharCode(...bytes.subarray(344, 348)), "n+1\0");
    // x fastest on disk: (0,0,0)=1, (0,1,0)=4, (0,0,1)=2 ...
    assert.deepEqual([...bytes.subarray(352)], [1, 4, 2, 5, 3, 6]);
  });

  for (const [dtype, Arr] of Object.entries(ARRAYS) as [NiftiDtype, (typeof ARRAYS)[NiftiDtype]][]) {
    it(`round-trips ${dtype}, plain and gzip`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          fc.integer(),
          async (shape, gzip, seed) => {
            const n = shape.reduce((a, b) => a * b, 1);
            const data = new Arr(n);
            for (let i = 0; i < n; i++)
              data[i] = (Math.imul(i + 7, seed | 1) >> 9) + (dtype.startsWith("f") ? 0.25 : 0);
            const bytes = encodeNifti({ data, shape, gzip });
            assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, gzip);
            const back = decodeNifti(bytes);
            assert.equal(back.dtype, dtype);
            assert.deepEqual(back.shape, shape);
            assert.deepEqual([...back.data], [...Float32Array.from(data)]);
          },
        ),
        { numRuns: 15 },
      );
    });
  }

  it("keeps the geometry of a decoded header, so labels align with their image", async () => {
    const image = encodeNifti({ data: new Float32Array(24), shape: [2, 3, 4], spacing: [0.6, 0.6, 1.25] });
    const decoded = decodeNifti(image);
    const h = {
      ...decoded.header,
      qformCode: 1,
      sformCode: 1,
      quaternB: 0.5,
      qoffsetX: -3,
      srowY: [0, 0.6, 0, 7],
      descrip: "x",
    };
    const labels = encodeNifti({ data: new Uint8Array(24).fill(1), shape: [2, 3, 4], header: h, gzip: true });
    const back = decodeNifti(labels);
    assert.deepEqual(back.spacing, decoded.spacing);
    const g = back.header;
    assert.deepEqual([g.qformCode, g.sformCode, g.quaternB, g.qoffsetX, g.descrip], [1, 1, 0.5, -3, "x"]);
    assert.deepEqual(g.srowY, [0, Math.fround(0.6), 0, 7]);
    assert.equal(back.dtype, "uint8");
  });

  it("rejects bad input with coded errors", async () => {
    assert.throws(() => encodeNifti({ data: new Float32Array(4), shape: [2, 3] }), { code: "ERR_SHAPE" });
    assert.throws(() => encodeNifti({ data: new Float32Array(4), shape: [1, 1, 1, 4] }), { code: "ERR_SHAPE" });
    assert.throws(() => encodeNifti({ data: Float32Array.from([1.5]), shape: [1], dtype: "int16" }), {
      code: "ERR_ARGUMENT",
    });
    assert.throws(() => encodeNifti({ data: Float32Array.from([300]), shape: [1], dtype: "uint8" }), {
      code: "ERR_ARGUMENT",
    });
    assert.throws(() => encodeNifti({ data: new Float32Array(1), shape: [1], dtype: "int64" as "int8" }), {
      code: "ERR_ARGUMENT",
    });
    assert.throws(() => encodeNifti({ data: new Float32Array(2), shape: [2], spacing: [0] }), {
      code: "ERR_ARGUMENT",
    });
  });
});
