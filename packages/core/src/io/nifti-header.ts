/** The NIfTI-1 header fields, as read from a file; encodeNifti writes the geometry ones back. */
export interface NiftiHeader {
  readonly littleEndian: boolean;
  readonly dimInfo: number;
  /** dim[0] is the rank, dim[1..7] the sizes. */
  readonly dim: readonly number[];
  readonly intentP1: number;
  readonly intentP2: number;
  readonly intentP3: number;
  readonly intentCode: number;
  readonly datatype: number;
  readonly bitpix: number;
  readonly sliceStart: number;
  /** pixdim[0] is qfac (±1), pixdim[1..3] the voxel spacing. */
  readonly pixdim: readonly number[];
  readonly voxOffset: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly sliceEnd: number;
  readonly sliceCode: number;
  readonly xyztUnits: number;
  readonly calMax: number;
  readonly calMin: number;
  readonly sliceDuration: number;
  readonly toffset: number;
  readonly descrip: string;
  readonly auxFile: string;
  readonly qformCode: number;
  readonly sformCode: number;
  readonly quaternB: number;
  readonly quaternC: number;
  readonly quaternD: number;
  readonly qoffsetX: number;
  readonly qoffsetY: number;
  readonly qoffsetZ: number;
  readonly srowX: readonly number[];
  readonly srowY: readonly number[];
  readonly srowZ: readonly number[];
  readonly intentName: string;
}

const str = (v: DataView, at: number, n: number): string => {
  let s = "";
  for (let i = 0; i < n; i++) {
    const c = v.getUint8(at + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
};

/** Reads the 348-byte NIfTI-1 header at the start of `v` with the given byte order. */
export function readNiftiHeader(v: DataView, le: boolean): NiftiHeader {
  const i16 = (at: number) => v.getInt16(at, le);
  const f32 = (at: number) => v.getFloat32(at, le);
  const floats = (at: number, n: number) => Array.from({ length: n }, (_, k) => f32(at + 4 * k));
  return {
    littleEndian: le,
    dimInfo: v.getUint8(39),
    dim: Array.from({ length: 8 }, (_, k) => i16(40 + 2 * k)),
    intentP1: f32(56),
    intentP2: f32(60),
    intentP3: f32(64),
    intentCode: i16(68),
    datatype: i16(70),
    bitpix: i16(72),
    sliceStart: i16(74),
    pixdim: floats(76, 8),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    sliceEnd: i16(120),
    sliceCode: v.getUint8(122),
    xyztUnits: v.getUint8(123),
    calMax: f32(124),
    calMin: f32(128),
    sliceDuration: f32(132),
    toffset: f32(136),
    descrip: str(v, 148, 80),
    auxFile: str(v, 228, 24),
    qformCode: i16(252),
    sformCode: i16(254),
    quaternB: f32(256),
    quaternC: f32(260),
    quaternD: f32(264),
    qoffsetX: f32(268),
    qoffsetY: f32(272),
    qoffsetZ: f32(276),
    srowX: floats(280, 4),
    srowY: floats(296, 4),
    srowZ: floats(312, 4),
    intentName: str(v, 328, 16),
  };
}

/** Writes a header as 352 little-endian bytes (348 + an empty extension flag), magic "n+1". */
export function writeNiftiHeader(h: NiftiHeader): Uint8Array {
  const out = new Uint8Array(352);
  const v = new DataView(out.buffer);
  const i16 = (at: number, x: number) => v.setInt16(at, x, true);
  const f32 = (at: number, x: number) => v.setFloat32(at, x, true);
  const floats = (at: number, xs: readonly number[]) =>
    xs.forEach((x, k) => {
      f32(at + 4 * k, x);
    });
  const text = (at: number, n: number, s: string) => {
    for (let k = 0; k < Math.min(s.length, n - 1); k++) out[at + k] = s.charCodeAt(k) & 0x7f;
  };
  v.setInt32(0, 348, true);
  out[38] = 114; // regular = 'r'
  out[39] = h.dimInfo;
  h.dim.forEach((d, k) => {
    i16(40 + 2 * k, d);
  });
  f32(56, h.intentP1);
  f32(60, h.intentP2);
  f32(64, h.intentP3);
  i16(68, h.intentCode);
  i16(70, h.datatype);
  i16(72, h.bitpix);
  i16(74, h.sliceStart);
  floats(76, h.pixdim);
  f32(108, h.voxOffset);
  f32(112, h.sclSlope);
  f32(116, h.sclInter);
  i16(120, h.sliceEnd);
  out[122] = h.sliceCode;
  out[123] = h.xyztUnits;
  f32(124, h.calMax);
  f32(128, h.calMin);
  f32(132, h.sliceDuration);
  f32(136, h.toffset);
  text(148, 80, h.descrip);
  text(228, 24, h.auxFile);
  i16(252, h.qformCode);
  i16(254, h.sformCode);
  floats(256, [h.quaternB, h.quaternC, h.quaternD, h.qoffsetX, h.qoffsetY, h.qoffsetZ]);
  floats(280, h.srowX);
  floats(296, h.srowY);
  floats(312, h.srowZ);
  text(328, 16, h.intentName);
  out.set([110, 43, 49, 0], 344); // "n+1\0"
  return out;
}
