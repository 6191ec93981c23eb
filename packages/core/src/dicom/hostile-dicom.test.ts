import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { deflateSync } from "fflate";
import { concat, el, image, item, part10, tagLen, UNDEFINED, us } from "../../test/dicom-craft.ts";
import { isBcpError } from "../errors/bcp-error.ts";
import { assembleDicomSeries } from "./assemble-dicom-series.ts";
import { readDicom } from "./read-dicom.ts";

const FIXTURES = new URL("../../test/fixtures/dicom/", import.meta.url).pathname;
const fixture = (name: string) => {
  const dir = join(FIXTURES, name);
  return new Uint8Array(readFileSync(join(dir, readdirSync(dir).sort()[0])));
};

/** Reads and assembles; must end with a DicomError of `code` (and `reason`, when given) within `ms`. */
function refuses(bytes: Uint8Array, code: string, reason?: string, ms = 500, options = {}): void {
  const t = performance.now();
  assert.throws(
    () => assembleDicomSeries([readDicom(bytes, options)], options),
    (e: unknown) => {
      assert.ok(isBcpError(e), `not a BcpError: ${String(e)}`);
      assert.equal(e.code, code, e.message);
      if (reason) assert.equal((e.details as { reason?: string }).reason, reason, e.message);
      return true;
    },
  );
  const took = performance.now() - t;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms`);
}

/** Reads, or fails with an ERR_DICOM_* error: anything else (a TypeError, a RangeError, a string) fails. */
function readsOrRefuses(bytes: Uint8Array): void {
  try {
    assembleDicomSeries([readDicom(bytes)]);
  } catch (e) {
    assert.ok(isBcpError(e) && e.code.startsWith("ERR_DICOM_"), `unexpected ${String(e)}`);
  }
}

describe("hostile DICOM: named errors, fast, bounded", () => {
  it("empty, short and non-DICOM bytes", () => {
    for (const b of [
      new Uint8Array(0),
      new Uint8Array(131),
      new Uint8Array(4096).fill(7),
      new TextEncoder().encode("\x89PNG\r\n\x1a\n...."),
    ]) {
      refuses(b, "ERR_DICOM_FORMAT", "not-dicom");
    }
    assert.throws(() => readDicom("DICM" as unknown as Uint8Array), { code: "ERR_DTYPE" });
  });
  it("the valid crafted image reads (the hostile variants below differ by one defect)", () => {
    const s = assembleDicomSeries([readDicom(part10(image()))]);
    assert.deepEqual([...s.shape], [3, 4, 1]);
    assert.equal(s.data[(2 * 4 + 3) * 1], 11);
  });
  it("a length past the end of the file (truncated or lying)", () => {
    const px = el(0x7fe00010, "OW", new Uint8Array(24), {}, 0x7ffffff0);
    const head = image().subarray(0, image().length - 24 - 12);
    refuses(part10(concat([head, px])), "ERR_DICOM_FORMAT", "truncated");
    refuses(part10(el(0x00100010, "PN", "A^B", {}, 60000)), "ERR_DICOM_FORMAT", "truncated");
    refuses(part10(image()).subarray(0, 200), "ERR_DICOM_FORMAT");
  });
  it("a length past the end of its item or sequence", () => {
    const inner = el(0x00100010, "PN", "A^B", {}, 200);
    const sq = el(0x00081115, "SQ", item(concat([inner, new Uint8Array(300)]), true, 16));
    refuses(part10(concat([sq, image()])), "ERR_DICOM_FORMAT", "length");
    const lying = el(0x00081115, "SQ", item(new Uint8Array(0)), {}, 1000);
    refuses(part10(concat([lying, image()])), "ERR_DICOM_FORMAT", "length");
  });
  it("meta group lengths past the end, a missing transfer syntax, an invalid VR", () => {
    const bad = part10(image());
    new DataView(bad.buffer).setUint32(132 + 12 + 8, 0x7fffffff, true); // (0002,0001) OB length, after (0002,0000)
    refuses(bad, "ERR_DICOM_FORMAT", "length");
    const noTs = concat([
      new Uint8Array(128),
      new TextEncoder().encode("DICM"),
      el(0x00020001, "OB", new Uint8Array([0, 1])),
      image(),
    ]);
    refuses(noTs, "ERR_DICOM_FORMAT", "meta");
    const vr = part10(concat([el(0x00100010, "PN", "A^B"), image()]));
    vr[vr.length - image().length - 12 + 4] = 0x01; // the PN element's VR
    refuses(vr, "ERR_DICOM_FORMAT", "vr");
  });
  it("undefined-length items and sequences without delimiters", () => {
    const openItem = concat([
      el(0x00081115, "SQ", new Uint8Array(0), {}, UNDEFINED),
      tagLen(0xfffee000, UNDEFINED),
      el(0x00081150, "UI", "1.2"),
    ]);
    refuses(part10(openItem), "ERR_DICOM_FORMAT", "delimiter");
    const openSeq = concat([el(0x00081115, "SQ", new Uint8Array(0), {}, UNDEFINED), item(el(0x00081150, "UI", "1.2"))]);
    refuses(part10(openSeq), "ERR_DICOM_FORMAT", "delimiter");
    // Implicit VR: an undefined-length element whose value starts like a sequence, never closed.
    const implicit = concat([
      el(0x00081115, "SQ", new Uint8Array(0), { explicit: false }, UNDEFINED),
      tagLen(0xfffee000, UNDEFINED),
    ]);
    refuses(part10(implicit, "1.2.840.10008.1.2"), "ERR_DICOM_FORMAT", "delimiter");
    // Encapsulated pixel data without its sequence delimiter.
    const frags = concat([
      el(0x7fe00010, "OB", new Uint8Array(0), {}, UNDEFINED),
      item(new Uint8Array(0)),
      item(new Uint8Array(16)),
    ]);
    refuses(
      part10(concat([image().subarray(0, image().length - 24 - 12), frags]), "1.2.840.10008.1.2.4.50"),
      "ERR_DICOM_FORMAT",
      "delimiter",
    );
    // An undefined length on an element that is no sequence.
    refuses(part10(concat([el(0x00100010, "PN", new Uint8Array(0), {}, UNDEFINED), image()])), "ERR_DICOM_FORMAT");
  });
  it("sequences nested 100 000 deep stop at the depth limit, with a bounded stack", () => {
    const depth = 100_000;
    const open = concat([el(0x00081115, "SQ", new Uint8Array(0), {}, UNDEFINED), tagLen(0xfffee000, UNDEFINED)]);
    const body = new Uint8Array(open.length * depth);
    for (let k = 0; k < depth; k++) body.set(open, k * open.length);
    refuses(part10(body), "ERR_DICOM_LIMIT", "depth");
    // Within the limit: 20 levels, each closed, read fine.
    const close = concat([tagLen(0xfffee00d, 0), tagLen(0xfffee0dd, 0)]);
    const nested = concat([
      ...Array.from({ length: 20 }, () => open),
      ...Array.from({ length: 20 }, () => close),
      image(),
    ]);
    assert.equal(assembleDicomSeries([readDicom(part10(nested))]).data.length, 12);
    refuses(part10(nested), "ERR_DICOM_LIMIT", "depth", 500, { maxDepth: 10 });
  });
  it("too many elements stop at the element limit before the parser builds them", () => {
    const one = el(0x00091010, "LO", "");
    const n = 300_000;
    const body = new Uint8Array(one.length * n);
    for (let k = 0; k < n; k++) body.set(one, k * one.length);
    refuses(part10(concat([body, image()])), "ERR_DICOM_LIMIT", "elements", 1000);
    refuses(part10(image()), "ERR_DICOM_LIMIT", "elements", 500, { maxElements: 5 });
  });
  it("huge declared dimensions are refused before any pixel buffer is allocated", () => {
    const dims = (rows: number, cols: number, frames: number) =>
      part10(
        concat([
          el(0x00200032, "DS", "0\\0\\0"),
          el(0x00200037, "DS", "1\\0\\0\\0\\1\\0"),
          el(0x00280002, "US", us(1)),
          el(0x00280004, "CS", "MONOCHROME2"),
          el(0x00280008, "IS", String(frames)),
          el(0x00280010, "US", us(rows)),
          el(0x00280011, "US", us(cols)),
          el(0x00280100, "US", us(16)),
          el(0x00280101, "US", us(16)),
          el(0x7fe00010, "OW", new Uint8Array(64)),
        ]),
      );
    refuses(dims(65535, 65535, 2_000_000_000), "ERR_DICOM_LIMIT", "voxels", 200);
    refuses(dims(4096, 4096, 100), "ERR_DICOM_LIMIT", "voxels", 200, { maxVoxels: 2 ** 24 });
    // Within the voxel limit, the pixel data must hold what the dimensions declare.
    refuses(dims(512, 512, 10), "ERR_DICOM_FORMAT", "pixel-length", 200);
    refuses(dims(0, 512, 1), "ERR_DICOM_UNSUPPORTED", "dimensions");
  });
  it("a file over maxBytes, and a deflate bomb, are refused at the byte limit", () => {
    refuses(part10(image()), "ERR_DICOM_LIMIT", "bytes", 200, { maxBytes: 100 });
    const bomb = deflateSync(new Uint8Array(64 << 20)); // 64 MiB of zeros in ~64 KiB
    refuses(part10(bomb, "1.2.840.10008.1.2.1.99"), "ERR_DICOM_LIMIT", "bytes", 2000, { maxBytes: 1 << 20 });
    refuses(part10(new Uint8Array([0xff, 0xff, 0xff, 0xff]), "1.2.840.10008.1.2.1.99"), "ERR_DICOM_FORMAT", "deflate");
    const deflated = part10(deflateSync(image()), "1.2.840.10008.1.2.1.99");
    assert.equal(assembleDicomSeries([readDicom(deflated)]).data[11], 11);
  });
  it("every prefix of a real file reads or fails with a DicomError", () => {
    for (const name of [
      "mr-explicit-le",
      "ct-implicit-le",
      "mr-big-endian-mono1",
      "mr-deflated-8bit",
      "mr-enhanced-multiframe",
    ]) {
      const b = fixture(name);
      for (let cut = 0; cut < b.length; cut += cut < 1500 ? 7 : 997) {
        const t = performance.now();
        assert.throws(
          () => assembleDicomSeries([readDicom(b.subarray(0, cut))]),
          (e: unknown) => isBcpError(e) && e.code.startsWith("ERR_DICOM_"),
          `${name} cut at ${cut}`,
        );
        assert.ok(performance.now() - t < 200);
      }
    }
  });
  it("random byte changes of real files read or fail with a DicomError (property)", () => {
    const files = ["mr-explicit-le", "ct-implicit-le", "mr-big-endian-mono1", "mr-enhanced-multiframe"].map(fixture);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (f, edits) => {
          const b = files[f].slice();
          // Edit the header region (the structure), where a change can reach the parser's decisions.
          for (const [at, v] of edits) b[132 + (at % Math.min(b.length - 132, 2000))] = v;
          readsOrRefuses(b);
        },
      ),
      { numRuns: 400, seed: 14 },
    );
  });
});
