import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { at, sq, str, tag, us } from "./dicom-dataset.ts";
import { compileDataset } from "./encode-dataset.ts";

const write = (ds: Parameters<typeof compileDataset>[0]) => {
  const c = compileDataset(ds);
  const out = new Uint8Array(c.byteLength);
  assert.equal(c.write(new DataView(out.buffer), 0), c.byteLength);
  return [...out];
};

describe("compileDataset", () => {
  it("writes explicit VR little endian by hand table: sorted tags, even padding, defined-length items", () => {
    const bytes = write([
      us(tag(0x0028, 0x0010), 3),
      str(tag(0x0008, 0x0016), "UI", "1.2.3"),
      str(tag(0x0008, 0x0060), "CS", "SEG"),
      at(tag(0x0020, 0x9165), tag(0x0062, 0x000b)),
      sq(tag(0x0062, 0x0002), [us(tag(0x0062, 0x0004), 1)]),
    ]);
    assert.deepEqual(bytes, [
      ...[0x08, 0, 0x16, 0, 0x55, 0x49, 6, 0, 0x31, 0x2e, 0x32, 0x2e, 0x33, 0], // UI, NUL pad
      ...[0x08, 0, 0x60, 0, 0x43, 0x53, 4, 0, 0x53, 0x45, 0x47, 0x20], // CS, space pad
      ...[0x20, 0, 0x65, 0x91, 0x41, 0x54, 4, 0, 0x62, 0, 0x0b, 0], // AT: group, element
      ...[0x28, 0, 0x10, 0, 0x55, 0x53, 2, 0, 3, 0],
      ...[0x62, 0, 0x02, 0, 0x53, 0x51, 0, 0, 18, 0, 0, 0], // SQ: 4-byte length
      ...[0xfe, 0xff, 0x00, 0xe0, 10, 0, 0, 0], // item
      ...[0x62, 0, 0x04, 0, 0x55, 0x53, 2, 0, 1, 0],
    ]);
  });

  it("refuses a tag twice and a short value past 65534 bytes", () => {
    assert.throws(() => compileDataset([us(1, 1), us(1, 2)]), /twice/);
    assert.throws(() => compileDataset([str(tag(0x0008, 0x0104), "LO", "x".repeat(70000))]), /too long/);
  });
});
