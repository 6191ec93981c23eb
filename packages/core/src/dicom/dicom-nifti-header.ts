import type { NiftiHeader } from "../io/nifti-header.ts";
import type { DicomSeries } from "./dicom-series.ts";

/** The 4 x 4 voxel-to-world matrix of a series (row-major), LPS as DICOM or RAS as NIfTI (x and y negated). */
export function dicomSeriesAffine(
  series: Pick<DicomSeries, "spacing" | "origin" | "direction">,
  space: "LPS" | "RAS" = "LPS",
): number[] {
  const { spacing: s, origin: o, direction: d } = series;
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    const sign = space === "RAS" && r < 2 ? -1 : 1;
    out.push(sign * d[r * 3] * s[0], sign * d[r * 3 + 1] * s[1], sign * d[r * 3 + 2] * s[2], sign * o[r]);
  }
  out.push(0, 0, 0, 1);
  return out;
}

/**
 * A NIfTI-1 header for a series' [X, Y, Z] volume: pixdim the spacing, sform and qform (both code 1, scanner) the
 * DICOM geometry turned to RAS; encodeNifti({ data, shape, header }) keeps it, so the image and a label map written
 * with it overlay the DICOM in any viewer.
 */
export function dicomSeriesNiftiHeader(
  series: Pick<DicomSeries, "spacing" | "origin" | "direction" | "shape" | "seriesDescription">,
): NiftiHeader {
  const a = dicomSeriesAffine(series, "RAS");
  const R = [0, 1, 2].map((r) => [0, 1, 2].map((c) => a[r * 4 + c] / series.spacing[c]));
  // det R = +1 for a right-handed slice normal; a left-handed stack (det -1) flips z, qfac -1 (NIfTI-1 qform).
  const det =
    R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) -
    R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) +
    R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (const row of R) row[2] = -row[2];
  const [b, c, d] = quaternion(R);
  return {
    littleEndian: true,
    dimInfo: 0,
    dim: [3, ...series.shape, 1, 1, 1, 1],
    intentP1: 0,
    intentP2: 0,
    intentP3: 0,
    intentCode: 0,
    datatype: 16,
    bitpix: 32,
    sliceStart: 0,
    pixdim: [qfac, ...series.spacing, 1, 1, 1, 1],
    voxOffset: 352,
    sclSlope: 1,
    sclInter: 0,
    sliceEnd: 0,
    sliceCode: 0,
    xyztUnits: 2,
    calMax: 0,
    calMin: 0,
    sliceDuration: 0,
    toffset: 0,
    descrip: `bcpseg from DICOM ${series.seriesDescription}`.slice(0, 79),
    auxFile: "",
    qformCode: 1,
    sformCode: 1,
    quaternB: b,
    quaternC: c,
    quaternD: d,
    qoffsetX: a[3],
    qoffsetY: a[7],
    qoffsetZ: a[11],
    srowX: a.slice(0, 4),
    srowY: a.slice(4, 8),
    srowZ: a.slice(8, 12),
    intentName: "",
  };
}

// The (b, c, d) of the unit quaternion of a proper rotation, a >= 0 (nifti1_io's nifti_mat44_to_quatern).
function quaternion(R: number[][]): [number, number, number] {
  const [[xx, xy, xz], [yx, yy, yz], [zx, zy, zz]] = R;
  let a = xx + yy + zz + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (zy - yz)) / a;
    c = (0.25 * (xz - zx)) / a;
    d = (0.25 * (yx - xy)) / a;
  } else {
    const xd = 1 + xx - (yy + zz);
    const yd = 1 + yy - (xx + zz);
    const zd = 1 + zz - (xx + yy);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (xy + yx)) / b;
      d = (0.25 * (xz + zx)) / b;
      a = (0.25 * (zy - yz)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (xy + yx)) / c;
      d = (0.25 * (yz + zy)) / c;
      a = (0.25 * (xz - zx)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (xz + zx)) / d;
      c = (0.25 * (yz + zy)) / d;
      a = (0.25 * (yx - xy)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return [b, c, d];
}
