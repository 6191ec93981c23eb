import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DicomError } from "./dicom-error.ts";
import { readDicom } from "./read-dicom.ts";

const ENHANCED = new URL("../../test/fixtures/dicom/mr-enhanced-multiframe/enhanced.dcm", import.meta.url).pathname;

describe("readDicom maxFrames", () => {
  it("refuses more frames than maxFrames before the per-frame work (ERR_DICOM_LIMIT, reason frames)", () => {
    const bytes = new Uint8Array(readFileSync(ENHANCED));
    const frames = readDicom(bytes).frames;
    assert.ok(frames > 1);
    assert.equal(readDicom(bytes, { maxFrames: frames }).frames, frames);
    assert.throws(
      () => readDicom(bytes, { maxFrames: frames - 1 }),
      (e: unknown) =>
        e instanceof DicomError &&
        e.code === "ERR_DICOM_LIMIT" &&
        (e.details as { reason: string; limit: number; frames: number }).reason === "frames" &&
        (e.details as { limit: number }).limit === frames - 1 &&
        (e.details as { frames: number }).frames === frames,
    );
  });
});
