import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readOnnxMetadata, sha256Hex } from "@bcpseg/core";
import fc from "fast-check";
import { fixture, MODELS } from "../../test/helpers.ts";
import { readModelInfo } from "./model-info.ts";

describe("readModelInfo", () => {
  it("reads the exporter's metadata from the fixture models, with the hash verified", () => {
    const bytes = fixture(MODELS.unet2d);
    const info = readModelInfo(bytes);
    assert.equal(info.id, "unet2d-64");
    assert.equal(info.contract.task, "2d");
    assert.equal(info.sha256, sha256Hex(readOnnxMetadata(bytes).graph as Uint8Array));
    assert.equal(info.precision, "int8-static");
    assert.equal(readModelInfo(fixture(MODELS.vnet3d), "v").id, "v");
  });

  it("refuses a model whose graph no longer hashes to bcpseg.sha256 with ERR_MODEL_CORRUPT", () => {
    for (const name of [MODELS.unet2d, MODELS.vnet3d]) {
      const bytes = fixture(name).slice();
      const graph = readOnnxMetadata(bytes).graph as Uint8Array;
      // One byte in the middle of the graph (weights): still well-formed protobuf, a different model.
      bytes[graph.byteOffset + (graph.length >> 1)] ^= 0x01;
      assert.throws(
        () => readModelInfo(bytes, "m"),
        (e: { code?: string; message: string; details?: { expected: string; actual: string } }) =>
          e.code === "ERR_MODEL_CORRUPT" &&
          /does not match bcpseg\.sha256/.test(e.message) &&
          e.details?.expected !== e.details?.actual,
      );
    }
  });

  it("refuses truncated and garbage bytes with ERR_MODEL_FORMAT or ERR_MODEL_CORRUPT, never anything else", () => {
    const good = fixture(MODELS.unet2d);
    assert.throws(() => readModelInfo(good.subarray(0, good.length - 7)), { code: "ERR_MODEL_FORMAT" });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (b) => {
        try {
          readModelInfo(b);
        } catch (e) {
          assert.match(String((e as { code?: string }).code), /^ERR_MODEL_(FORMAT|CONTRACT|CORRUPT)$/);
        }
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});
