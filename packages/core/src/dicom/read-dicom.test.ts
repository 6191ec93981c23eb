import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pydicomMissing, pydicomTestFiles, pydicomVolumes, sha256 } from "../../test/pydicom-reference.ts";
import { isBcpError } from "../errors/bcp-error.ts";
import { assembleDicomSeries } from "./assemble-dicom-series.ts";
import { decodeDicomFrames } from "./decode-dicom-frames.ts";
import { DicomError } from "./dicom-error.ts";
import { readDicom } from "./read-dicom.ts";

const FIXTURES = new URL("../../test/fixtures/dicom/", import.meta.url).pathname;
const read = (path: string) => readDicom(new Uint8Array(readFileSync(path)));

describe("readDicom: the committed ACDC-derived fixtures", () => {
  const cases: Array<[string, string, string]> = [
    ["mr-explicit-le", "1.2.840.10008.1.2.1", "MR"],
    ["ct-implicit-le", "1.2.840.10008.1.2", "CT"],
    ["mr-big-endian-mono1", "1.2.840.10008.1.2.2", "MR"],
    ["mr-deflated-8bit", "1.2.840.10008.1.2.1.99", "MR"],
    ["mr-enhanced-multiframe", "1.2.840.10008.1.2.1", "MR"],
  ];
  for (const [name, ts, modality] of cases) {
    it(`${name}: transfer syntax, identity and pixel format`, () => {
      for (const f of readdirSync(join(FIXTURES, name))) {
        const i = read(join(FIXTURES, name, f));
        assert.equal(i.transferSyntax.uid, ts);
        assert.equal(i.modality, modality);
        assert.equal(i.rows, 64);
        assert.equal(i.columns, 48);
        assert.equal(i.patientId, "ACDC-002");
        assert.equal(i.patientName, "ACDC^Patient002");
        assert.match(i.sopInstanceUid, /^2\.25\.\d+\.4\.\d+\.\d+$/);
        assert.equal(i.frameGeometry.length, i.frames);
        for (const g of i.frameGeometry) assert.equal(g.imagePositionPatient?.length, 3);
      }
    });
  }
  it("CT: signed 12-bit pixels and RescaleIntercept -1024 give Hounsfield units", () => {
    const i = read(join(FIXTURES, "ct-implicit-le", "im01.dcm"));
    assert.equal(i.pixelRepresentation, 1);
    assert.equal(i.bitsStored, 12);
    assert.equal(i.frameGeometry[0].rescaleIntercept, -1024);
    const hu = decodeDicomFrames(i);
    assert.ok(Math.min(...hu) >= -2024 && Math.min(...hu) < -1024, `min ${Math.min(...hu)}`);
  });
  it("the enhanced multi-frame file takes its geometry and rescale from the functional groups", () => {
    const i = read(join(FIXTURES, "mr-enhanced-multiframe", "enhanced.dcm"));
    assert.equal(i.frames, 4);
    assert.deepEqual(i.pixelSpacing, [1.25, 1.5]);
    assert.deepEqual(i.imageOrientationPatient, [1, 0, 0, 0, 0, -1]);
    assert.deepEqual(
      i.frameGeometry.map((g) => [g.rescaleSlope, g.rescaleIntercept]),
      [
        [0.25, 1.5],
        [0.25, 1.5],
        [0.25, 1.5],
        [0.25, 1.5],
      ],
    );
    // Frames are stored in reverse position order; y decreases by 8 mm along the normal (0, 1, 0) x ... per frame.
    const ys = i.frameGeometry.map((g) => g.imagePositionPatient?.[1]);
    assert.deepEqual(ys, [44, 36, 28, 20]);
  });
});

describe("readDicom: Debian's pydicom test files", () => {
  const missing = pydicomMissing();
  const dir = missing ? undefined : pydicomTestFiles();
  const skip = missing ?? (dir ? false : "pydicom's test_files folder is not installed");
  const have = (f: string) => dir !== undefined && existsSync(join(dir, f));
  const volumes = [
    "MR_small.dcm",
    "CT_small.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_implicit.dcm",
    "MR_small_expb.dcm",
    "MR_small_padded.dcm",
    "image_dfl.dcm",
    "rtdose.dcm",
    "rtdose_expb.dcm",
    "rtdose_1frame.dcm",
  ];
  it("volumes, spacing and rescaled values equal pydicom's bit for bit", { skip }, async () => {
    const files = volumes.filter(have).map((f) => join(dir as string, f));
    assert.ok(files.length >= 6, `only ${files.length} of the files are installed`);
    const ref = pydicomVolumes(files);
    for (const f of files) {
      const s = assembleDicomSeries([read(f)]);
      const r = ref[f];
      assert.deepEqual([...s.shape], r.shape, f);
      for (let k = 0; k < 3; k++)
        assert.ok(Math.abs(s.spacing[k] - r.spacing[k]) < 1e-9, `${f} spacing ${s.spacing} vs ${r.spacing}`);
      assert.equal(s.data[0], r.first, f);
      assert.equal(await sha256(s.data), r.sha256, f);
    }
  });
  it("CT_small reads in Hounsfield units (RescaleIntercept -1024)", { skip: skip || !have("CT_small.dcm") }, () => {
    const i = read(join(dir as string, "CT_small.dcm"));
    assert.equal(i.modality, "CT");
    assert.equal(i.frameGeometry[0].rescaleIntercept, -1024);
    assert.equal(i.pixelRepresentation, 1);
  });
  it("compressed transfer syntaxes are refused naming the syntax (ERR_DICOM_TRANSFER_SYNTAX)", { skip }, () => {
    const refused: Array<[string, string]> = [
      ["JPEG2000.dcm", "1.2.840.10008.1.2.4.91"],
      ["MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90"],
      ["MR_small_jpeg_ls_lossless.dcm", "1.2.840.10008.1.2.4.80"],
      ["JPEG-lossy.dcm", "1.2.840.10008.1.2.4.51"],
      ["MR_small_RLE.dcm", "1.2.840.10008.1.2.5"],
    ];
    let seen = 0;
    for (const [f, uid] of refused.filter(([f]) => have(f))) {
      const i = read(join(dir as string, f));
      assert.equal(i.transferSyntax.uid, uid);
      assert.throws(
        () => decodeDicomFrames(i),
        (e: unknown) =>
          e instanceof DicomError &&
          e.code === "ERR_DICOM_TRANSFER_SYNTAX" &&
          e.message.includes(uid) &&
          e.message.includes(i.transferSyntax.name) &&
          (e.details as { transferSyntaxUid: string }).transferSyntaxUid === uid,
        f,
      );
      seen++;
    }
    assert.ok(seen >= 3, `only ${seen} compressed files installed`);
  });
  it("colour images are refused (ERR_DICOM_UNSUPPORTED), truncated files fail as ERR_DICOM_FORMAT", { skip }, () => {
    if (have("ExplVR_BigEnd.dcm")) {
      assert.throws(() => decodeDicomFrames(read(join(dir as string, "ExplVR_BigEnd.dcm"))), {
        code: "ERR_DICOM_UNSUPPORTED",
      });
    }
    for (const f of ["MR_truncated.dcm", "rtplan_truncated.dcm", "no_meta.dcm", "ExplVR_LitEndNoMeta.dcm"].filter(
      have,
    )) {
      assert.throws(() => read(join(dir as string, f)), { code: "ERR_DICOM_FORMAT" }, f);
    }
  });
  it("every installed test file reads or fails with a DicomError, fast", { skip }, () => {
    for (const f of readdirSync(dir as string).filter((f) => f.endsWith(".dcm"))) {
      const t = performance.now();
      try {
        const i = read(join(dir as string, f));
        if (i.pixelData) assembleDicomSeries([i]);
      } catch (e) {
        assert.ok(isBcpError(e) && e.code.startsWith("ERR_DICOM_"), `${f}: ${String(e)}`);
      }
      assert.ok(performance.now() - t < 2000, `${f} took ${performance.now() - t} ms`);
    }
  });
});
