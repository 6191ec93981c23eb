import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { decodeNifti } from "../io/decode-nifti.ts";
import { encodeNifti } from "../io/encode-nifti.ts";
import { assembleDicomSeries } from "./assemble-dicom-series.ts";
import { dicomSeriesAffine, dicomSeriesNiftiHeader } from "./dicom-nifti-header.ts";
import { readDicom } from "./read-dicom.ts";

const FIXTURES = new URL("../../test/fixtures/dicom/", import.meta.url).pathname;
const series = (name: string) =>
  assembleDicomSeries(
    readdirSync(join(FIXTURES, name)).map((f) => readDicom(new Uint8Array(readFileSync(join(FIXTURES, name, f))))),
  );
const apply = (m: readonly number[], v: readonly number[]) =>
  [0, 1, 2].map((r) => m[r * 4] * v[0] + m[r * 4 + 1] * v[1] + m[r * 4 + 2] * v[2] + m[r * 4 + 3]);

// The qform rotation of NIfTI-1 from quatern_b/c/d (a = sqrt(1 - b² - c² - d²)) and qfac.
function qformRotation(b: number, c: number, d: number, qfac: number): number[][] {
  const a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
  return [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), qfac * 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, qfac * 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), qfac * (a * a + d * d - c * c - b * b)],
  ];
}

describe("dicomSeriesNiftiHeader: DICOM geometry as a NIfTI affine (LPS → RAS)", () => {
  for (const name of ["mr-explicit-le", "mr-deflated-8bit", "mr-enhanced-multiframe"]) {
    it(`${name}: voxel (0, 0, k) maps to slice k's ImagePositionPatient (x, y negated), sform and qform agree`, () => {
      const s = series(name);
      const lps = dicomSeriesAffine(s, "LPS");
      const h = dicomSeriesNiftiHeader(s);
      const sform = [...h.srowX, ...h.srowY, ...h.srowZ, 0, 0, 0, 1];
      s.slices.forEach((r, k) => {
        const p = r.imagePositionPatient;
        apply(lps, [0, 0, k]).forEach((v, a) => {
          assert.ok(Math.abs(v - p[a]) < 1e-3, `LPS ${k}`);
        });
        const ras = apply(sform, [0, 0, k]);
        [-p[0], -p[1], p[2]].forEach((v, a) => {
          assert.ok(Math.abs(ras[a] - v) < 1e-3, `RAS ${k}: ${ras} vs ${p}`);
        });
      });
      // Voxel (x, 0, 0) steps along the row direction by the column spacing.
      const step = apply(lps, [1, 0, 0]).map((v, a) => v - lps[a * 4 + 3]);
      const row = s.imageOrientationPatient.slice(0, 3).map((v) => v * s.pixelSpacing[1]);
      step.forEach((v, a) => {
        assert.ok(Math.abs(v - row[a]) < 1e-9);
      });
      const R = qformRotation(h.quaternB, h.quaternC, h.quaternD, h.pixdim[0]);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++)
          assert.ok(Math.abs(R[r][c] * s.spacing[c] - sform[r * 4 + c]) < 1e-5, `qform [${r}][${c}]`);
      }
      assert.deepEqual([h.qoffsetX, h.qoffsetY, h.qoffsetZ], [h.srowX[3], h.srowY[3], h.srowZ[3]]);
    });
  }
  it("encodeNifti keeps it: the NIfTI read back has the volume, spacing and affine", () => {
    const s = series("ct-implicit-le");
    const header = dicomSeriesNiftiHeader(s);
    const back = decodeNifti(encodeNifti({ data: s.data, shape: [...s.shape], header, gzip: true }));
    assert.deepEqual(back.shape, [...s.shape]);
    assert.deepEqual(back.data, s.data);
    back.spacing.forEach((v, k) => {
      assert.ok(Math.abs(v - s.spacing[k]) < 1e-5);
    });
    assert.equal(back.header.sformCode, 1);
    assert.equal(back.header.qformCode, 1);
    header.srowX.forEach((v, k) => {
      assert.ok(Math.abs(back.header.srowX[k] - v) < 1e-4);
    });
  });
});
