import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "fflate";
import { assertClose } from "../../test/fixtures.ts";
import { decodeNifti } from "./decode-nifti.ts";
import { readNiftiInfo } from "./nifti-info.ts";

/** A NIfTI-1 file written field by field: int16 voxels, given dims, byte order, slope and intercept. */
function handNifti(
  dims: number[],
  voxels: number[],
  { le = true, slope = 0, inter = 0, magic = "n+1" } = {},
): Uint8Array {
  const bytes = new Uint8Array(352 + 2 * voxels.length);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, 348, le); // sizeof_hdr
  v.setInt16(40, dims.length, le); // dim[0]
  dims.forEach((d, k) => {
    v.setInt16(42 + 2 * k, d, le);
  });
  for (let k = dims.length; k < 7; k++) v.setInt16(42 + 2 * k, 1, le);
  v.setInt16(70, 4, le); // datatype int16
  v.setInt16(72, 16, le); // bitpix
  // pixdim (qfac -1)
  [-1, 0.5, 0.75, 2.5, 1].forEach((p, k) => {
    v.setFloat32(76 + 4 * k, p, le);
  });
  v.setFloat32(108, 352, le); // vox_offset
  v.setFloat32(112, slope, le);
  v.setFloat32(116, inter, le);
  bytes[123] = 10; // xyzt_units: mm + s
  // descrip
  Array.from("hand made").forEach((c, k) => {
    bytes[148 + k] = c.charCodeAt(0);
  });
  v.setInt16(252, 1, le); // qform_code
  v.setInt16(254, 2, le); // sform_code
  v.setFloat32(264, 1, le); // quatern_d
  v.setFloat32(268, -10, le); // qoffset_x
  // srow_x
  [0.5, 0, 0, -10].forEach((x, k) => {
    v.setFloat32(280 + 4 * k, x, le);
  });
  Array.from(magic).forEach((c, k) => {
    bytes[344 + k] = c.charCodeAt(0);
  });
  voxels.forEach((x, k) => {
    v.setInt16(352 + 2 * k, x, le);
  });
  return bytes;
}

// Voxel value at (x, y, z) of a 2x3x2 volume stored x-fastest: 100x + 10y + z.
const DIMS = [2, 3, 2];
const STORED: number[] = [];
for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 2; x++) STORED.push(100 * x + 10 * y + z);
const ROW_MAJOR: number[] = [];
for (let x = 0; x < 2; x++)
  for (let y = 0; y < 3; y++) for (let z = 0; z < 2; z++) ROW_MAJOR.push(100 * x + 10 * y + z);

describe("decodeNifti", () => {
  for (const le of [true, false]) {
    it(`reads a hand-written ${le ? "little" : "big"}-endian file into row-major [X, Y, Z]`, async () => {
      const img = decodeNifti(handNifti(DIMS, STORED, { le }));
      assert.deepEqual(img.shape, [2, 3, 2]);
      assert.deepEqual([...img.data], ROW_MAJOR);
      assert.deepEqual(img.spacing, [0.5, 0.75, 2.5]);
      assert.equal(img.dtype, "int16");
      const h = img.header;
      assert.deepEqual(
        [h.littleEndian, h.pixdim[0], h.xyztUnits, h.descrip, h.qformCode, h.sformCode, h.quaternD, h.qoffsetX],
        [le, -1, 10, "hand made", 1, 2, 1, -10],
      );
      assert.deepEqual(h.srowX, [0.5, 0, 0, -10]);
    });
  }

  it("applies scl_slope and scl_inter (slope 0 means none)", async () => {
    const img = decodeNifti(handNifti([3], [1, 2, -4], { slope: 0.5, inter: 10 }));
    assertClose(img.data, [10.5, 11, 8]);
    assert.deepEqual(img.shape, [3]);
    const raw = decodeNifti(handNifti([3], [1, 2, -4], { slope: 0, inter: 10 }));
    assert.deepEqual([...raw.data], [1, 2, -4]);
  });

  it("reads gzip files and picks a volume of a 4-D file", async () => {
    const two = [...STORED, ...STORED.map((x) => -x)];
    const gz = gzipSync(handNifti([...DIMS, 2], two));
    const v0 = decodeNifti(gz);
    const v1 = decodeNifti(gz, { volume: 1 });
    assert.equal(v0.volumes, 2);
    assert.deepEqual([...v0.data], ROW_MAJOR);
    assert.deepEqual(
      [...v1.data],
      ROW_MAJOR.map((x) => -x + 0),
    );
    assert.throws(() => decodeNifti(gz, { volume: 2 }), { code: "ERR_ARGUMENT" });
  });

  it("throws FormatError for corrupt, truncated or unsupported files", async () => {
    const good = handNifti(DIMS, STORED);
    const bad = async (bytes: Uint8Array, pattern: RegExp) =>
      assert.throws(
        () => decodeNifti(bytes),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "ERR_FORMAT");
          assert.match(e.message, pattern);
          return true;
        },
      );
    await bad(good.subarray(0, 100), /header needs 348/);
    await bad(good.subarray(0, good.length - 1), /data is truncated/);
    await bad(handNifti(DIMS, STORED, { magic: "ni1" }), /two-file/);
    await bad(handNifti(DIMS, STORED, { magic: "abc" }), /bad magic/);
    const wrongType = good.slice();
    new DataView(wrongType.buffer).setInt16(70, 32, true); // complex64
    await bad(wrongType, /datatype code 32/);
    const zeroDim = good.slice();
    new DataView(zeroDim.buffer).setInt16(42, 0, true);
    await bad(zeroDim, /size < 1/);
    await bad(new Uint8Array(400), /sizeof_hdr/);
    await bad(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), /gzip/);
  });
});

describe("readNiftiInfo", () => {
  it("sizes a file from its header, gzip or not (hand table)", async () => {
    const plain = handNifti([...DIMS, 2], [...STORED, ...STORED]);
    for (const bytes of [plain, gzipSync(plain)]) {
      const info = readNiftiInfo(bytes);
      assert.deepEqual(
        [info.shape, info.dtype, info.volumes, info.fileBytes, info.gzip],
        [[2, 3, 2], "int16", 2, 352 + 2 * 2 * 12, bytes !== plain],
      );
    }
  });

  it("refuses a gzip file declaring more than maxBytes before inflating past the header", async () => {
    // 32767^2 x 1 int16 voxels declared, 352 + a little data sent: the header alone decides.
    const liar = handNifti([32767, 32767, 1], [1, 2, 3]);
    const gz = gzipSync(liar);
    assert.equal(readNiftiInfo(gz).fileBytes, 352 + 2 * 32767 * 32767);
    assert.throws(
      () => decodeNifti(gz, { maxBytes: 1 << 20 }),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "ERR_FORMAT");
        assert.match(e.message, /declares 2147352930 bytes of file, more than maxBytes 1048576/);
        return true;
      },
    );
  });

  it("stops a gzip bomb at the size the header declares", async () => {
    // A 2x3x2 volume followed by 64 MiB of zeros (compresses to ~64 KiB): only 376 bytes are inflated.
    const small = handNifti(DIMS, STORED);
    const bomb = new Uint8Array(small.length + (64 << 20));
    bomb.set(small);
    const gz = gzipSync(bomb);
    assert.ok(gz.length < 200_000);
    const img = decodeNifti(gz, { maxBytes: small.length });
    assert.deepEqual([...img.data], ROW_MAJOR);
  });
});
