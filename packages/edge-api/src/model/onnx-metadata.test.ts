import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fixture, MODELS } from "../../test/helpers.ts";
import { readModelInfo } from "./model-info.ts";
import { readOnnxMetadata } from "./onnx-metadata.ts";

const enc = new TextEncoder();
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const len = (field: number, bytes: number[]): number[] => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const str = (field: number, s: string) => len(field, [...enc.encode(s)]);
const entry = (k: string, v: string) => len(14, [...str(1, k), ...str(2, v)]);

describe("readOnnxMetadata", () => {
  it("reads a hand-built ModelProto, skipping varint, fixed and unknown length fields", () => {
    const bytes = Uint8Array.from([
      ...varint((1 << 3) | 0),
      ...varint(8), // ir_version
      ...str(2, "bcpseg"),
      ...str(3, "0.0.0"),
      ...varint((99 << 3) | 1),
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, // unknown fixed64
      ...varint((98 << 3) | 5),
      1,
      2,
      3,
      4, // unknown fixed32
      ...len(7, [1, 2, 3]), // graph (skipped)
      ...entry("a", "1"),
      ...entry("bcpseg.sha256", "ab".repeat(32)),
    ]);
    const m = readOnnxMetadata(bytes);
    assert.equal(m.producerName, "bcpseg");
    assert.equal(m.producerVersion, "0.0.0");
    assert.deepEqual(
      [...m.props],
      [
        ["a", "1"],
        ["bcpseg.sha256", "ab".repeat(32)],
      ],
    );
  });

  it("reads the exporter's metadata from the fixture models", () => {
    const info = readModelInfo(fixture(MODELS.unet2d));
    assert.equal(info.id, "unet2d-64");
    assert.equal(info.contract.task, "2d");
    assert.match(info.sha256 ?? "", /^[0-9a-f]{64}$/);
    assert.equal(info.precision, "int8-static");
    assert.equal(readModelInfo(fixture(MODELS.vnet3d), "v").id, "v");
  });

  it("refuses truncated and garbage bytes with ERR_MODEL_FORMAT, never anything else", () => {
    const good = fixture(MODELS.unet2d);
    assert.throws(() => readOnnxMetadata(good.subarray(0, good.length - 7)), { code: "ERR_MODEL_FORMAT" });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        try {
          readOnnxMetadata(b);
        } catch (e) {
          assert.equal((e as { code?: string }).code, "ERR_MODEL_FORMAT");
        }
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});
