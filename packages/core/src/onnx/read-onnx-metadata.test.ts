import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkOnnxGraphHash } from "./check-onnx-graph-hash.ts";
import { readOnnxMetadata } from "./read-onnx-metadata.ts";
import { sha256Hex } from "./sha256.ts";

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
const GRAPH = [10, 3, 1, 2, 3, 18, 1, 9];

/** A hand-built ModelProto: ir_version, producer, unknown fixed fields, a graph and metadata entries. */
function model(props: [string, string][], producer = "bcpseg", graph = GRAPH): Uint8Array {
  return Uint8Array.from([
    ...varint((1 << 3) | 0),
    ...varint(8),
    ...str(2, producer),
    ...str(3, "0.0.0"),
    ...varint((99 << 3) | 1),
    ...[1, 2, 3, 4, 5, 6, 7, 8],
    ...varint((98 << 3) | 5),
    ...[1, 2, 3, 4],
    ...len(7, graph),
    ...props.flatMap(([k, v]) => entry(k, v)),
  ]);
}

describe("readOnnxMetadata", () => {
  it("reads producer, props in order and the graph bytes, skipping varint, fixed and unknown fields", () => {
    const m = readOnnxMetadata(
      model([
        ["a", "1"],
        ["bcpseg.sha256", "ab".repeat(32)],
      ]),
    );
    assert.equal(m.producerName, "bcpseg");
    assert.equal(m.producerVersion, "0.0.0");
    assert.deepEqual(
      [...m.props],
      [
        ["a", "1"],
        ["bcpseg.sha256", "ab".repeat(32)],
      ],
    );
    assert.deepEqual([...(m.graph ?? [])], GRAPH);
  });

  it("refuses truncated bytes, two graphs and garbage with ERR_FORMAT, never anything else", () => {
    const good = model([["bcpseg.sha256", sha256Hex(Uint8Array.from(GRAPH))]]);
    assert.throws(() => readOnnxMetadata(good.subarray(0, good.length - 7)), { code: "ERR_FORMAT" });
    assert.throws(() => readOnnxMetadata(Uint8Array.from([...good, ...len(7, [1])])), /more than one graph/);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        try {
          readOnnxMetadata(b);
        } catch (e) {
          assert.equal((e as { code?: string }).code, "ERR_FORMAT");
        }
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});

describe("checkOnnxGraphHash", () => {
  const hash = sha256Hex(Uint8Array.from(GRAPH));
  it("passes the hash of the graph bytes as stored, whatever the metadata says besides", () => {
    assert.deepEqual(
      checkOnnxGraphHash(
        readOnnxMetadata(
          model([
            ["x", "1"],
            ["bcpseg.sha256", hash],
          ]),
        ),
      ),
      {
        ok: true,
        sha256: hash,
      },
    );
  });
  it("fails a changed graph byte, a missing entry on a bcpseg export, and passes a foreign model without one", () => {
    const changed = checkOnnxGraphHash(readOnnxMetadata(model([["bcpseg.sha256", hash]], "bcpseg", [10, 3, 1, 2, 4])));
    assert.equal(changed.ok, false);
    assert.match((changed as { reason: string }).reason, /does not match/);
    assert.equal(checkOnnxGraphHash(readOnnxMetadata(model([]))).ok, false);
    const foreign = checkOnnxGraphHash(readOnnxMetadata(model([], "pytorch")));
    assert.equal(foreign.ok, true);
    assert.equal(foreign.sha256, undefined);
  });
});
