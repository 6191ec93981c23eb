import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultContract2d } from "@bcpseg/core";
import fc from "fast-check";
import { responseFormat } from "./response-format.ts";
import { decodeRunLengths, runLengths } from "./run-lengths.ts";
import { summarize } from "./summarize.ts";

describe("codecs", () => {
  it("runLengths: hand table and round trip", () => {
    assert.deepEqual(runLengths(Uint8Array.of(1, 1, 0, 2, 1), 1), [0, 2, 2, 1]);
    assert.deepEqual(runLengths(Uint8Array.of(0, 0), 1), [2]);
    fc.assert(
      fc.property(fc.uint8Array({ max: 3, maxLength: 300 }), fc.integer({ min: 0, max: 3 }), (a, c) => {
        const mask = decodeRunLengths(runLengths(a, c), a.length);
        assert.deepEqual(
          [...mask],
          [...a].map((v) => (v === c ? 1 : 0)),
        );
      }),
    );
  });

  it("summarize: counts, physical volumes and inclusive boxes", () => {
    const labels = Uint8Array.of(0, 1, 1, 0, 0, 3, 0, 0, 1);
    const s = summarize(labels, [3, 3], [2, 0.5], defaultContract2d({ size: [16, 16] }), { rle: true });
    assert.deepEqual(
      s.map((c) => c.voxels),
      [5, 3, 0, 1],
    );
    assert.deepEqual(s[1].bbox, { min: [0, 1], max: [2, 2] });
    assert.equal(s[1].volume, 3);
    assert.equal(s[2].bbox, null);
    assert.deepEqual(s[3].rle?.counts, [5, 1, 3]);
  });

  it("responseFormat: the option wins, then the first Accept entry that names a format, else JSON", () => {
    assert.equal(responseFormat("nifti", "image/png"), "nifti");
    assert.equal(responseFormat(undefined, "text/html, image/png;q=0.9, application/json"), "png");
    assert.equal(responseFormat(undefined, "application/gzip"), "nifti-gz");
    assert.equal(responseFormat(undefined, "*/*"), "json");
    assert.equal(responseFormat(undefined, undefined), "json");
  });
});
