import dicomParser, { type ByteArrayParser, type DataSet, type Element } from "dicom-parser";
import { DtypeError } from "../errors/bcp-error.ts";
import { boundedInflate } from "../io/bounded-inflate.ts";
import { concatBytes } from "../io/concat-bytes.ts";
import { DicomError } from "./dicom-error.ts";
import type { DicomFrameGeometry, DicomInstance } from "./dicom-instance.ts";
import { characterSetTerms } from "./dicom-text.ts";
import { firstItem, num, nums, str, text, us } from "./dicom-values.ts";
import { type DicomStructureLimits, LONG_VRS, scanDicomStructure } from "./scan-dicom-structure.ts";
import { transferSyntaxOf } from "./transfer-syntax.ts";

/** Options of {@link readDicom}. */
export interface ReadDicomOptions extends DicomStructureLimits {
  /** Refuse a file (or a deflated data set once inflated) of more bytes (default 2^30); inflation stops there. */
  readonly maxBytes?: number;
  /** Refuse more voxels (Rows x Columns x NumberOfFrames) than this (default 2^27), before reading the frames. */
  readonly maxVoxels?: number;
  /** Refuse more frames (NumberOfFrames) than this (default maxVoxels), before any per-frame work. */
  readonly maxFrames?: number;
}

const fn = "readDicom";
// dicom-parser exports its DataSet class; its typings leave it out.
const lib = dicomParser as typeof dicomParser & {
  DataSet: new (parser: ByteArrayParser, bytes: Uint8Array, elements: Record<string, Element>) => DataSet;
};
const format = (reason: string, message: string) => new DicomError("ERR_DICOM_FORMAT", fn, message, { reason });

/**
 * Reads the header of a DICOM Part 10 file (implicit or explicit VR little endian, explicit VR big endian, deflated
 * explicit VR little endian, or any encapsulated syntax, whose pixels decodeDicomFrames then refuses). Bounds first:
 * the size against `maxBytes`, the meta group and the data set walked by scanDicomStructure (lengths, delimiters,
 * element count, nesting) before dicom-parser builds its data set; a deflated data set goes through core's bounded
 * inflate. Every defect is a DicomError (ERR_DICOM_FORMAT or ERR_DICOM_LIMIT).
 */
export function readDicom(bytes: Uint8Array, options: ReadDicomOptions = {}): DicomInstance {
  if (!(bytes instanceof Uint8Array)) throw new DtypeError(fn, "bytes", "must be a Uint8Array");
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (bytes.length > maxBytes) {
    throw new DicomError("ERR_DICOM_LIMIT", fn, `the file has ${bytes.length} bytes, more than maxBytes ${maxBytes}`, {
      reason: "bytes",
      limit: maxBytes,
    });
  }
  if (!isDicomPart10(bytes)) throw format("not-dicom", "not a DICOM Part 10 file (no DICM prefix at byte 128)");
  const meta = scanMeta(bytes);
  if (meta.transferSyntaxUid === "") throw format("meta", "the file meta group has no TransferSyntaxUID (0002,0010)");
  const ts = transferSyntaxOf(meta.transferSyntaxUid);
  const metaEnd = meta.end;
  let full = bytes;
  if (ts.deflated) {
    const inflated = inflate(bytes.subarray(metaEnd), Math.max(0, maxBytes - metaEnd));
    full = concatBytes([bytes.subarray(0, metaEnd), inflated]);
  }
  if (full.length === metaEnd) throw format("truncated", "the file ends after its meta group: no data set");
  scanDicomStructure(full, metaEnd, ts, options, fn);
  // dicom-parser reads the data set only now, from where the meta group ends, once its structure is known good
  // (its parseDicom would first read the element after the meta group unchecked, and inflate unbounded).
  const ds = parse(() => {
    const parser = ts.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
    const set = new lib.DataSet(parser, full, {});
    const stream = new dicomParser.ByteStream(parser, full, metaEnd);
    if (ts.explicit) dicomParser.parseDicomDataSetExplicit(set, stream, full.length);
    else dicomParser.parseDicomDataSetImplicit(set, stream, full.length);
    return set;
  });
  const maxVoxels = options.maxVoxels ?? 2 ** 27;
  return instanceOf(ds, full, ts, maxVoxels, options.maxFrames ?? maxVoxels);
}

/** True when `bytes` start with the 128-byte preamble and "DICM". */
export function isDicomPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 68 && bytes[129] === 73 && bytes[130] === 67 && bytes[131] === 77;
}

// The file meta group (0002,xxxx), explicit VR little endian: every length must fit the file. Returns where the
// data set starts and the TransferSyntaxUID ("" when absent).
function scanMeta(bytes: Uint8Array): { end: number; transferSyntaxUid: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 132;
  let transferSyntaxUid = "";
  for (let count = 0; ; count++) {
    if (pos + 8 > bytes.length) {
      if (count > 0) return { end: pos, transferSyntaxUid };
      throw format("truncated", "the file ends before its meta group");
    }
    const group = view.getUint16(pos, true);
    if (group < 0x0002) throw format("meta", `element of group ${group} at byte ${pos}: not allowed in a file`);
    if (group !== 0x0002) return { end: pos, transferSyntaxUid };
    if (count > 1000) throw format("meta", "the meta group has more than 1000 elements");
    const element = view.getUint16(pos + 2, true);
    const vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
    if (!/^[A-Z]{2}$/.test(vr)) throw format("vr", `meta element at byte ${pos} has no valid VR`);
    const long = LONG_VRS.has(vr);
    if (long && pos + 12 > bytes.length) throw format("truncated", "the file is truncated in its meta group");
    const n = long ? view.getUint32(pos + 8, true) : view.getUint16(pos + 6, true);
    pos += long ? 12 : 8;
    if (n === 0xffffffff || pos + n > bytes.length) {
      throw format("length", `meta element at byte ${pos} declares ${n} bytes, past the end of the file`);
    }
    if (element === 0x0010) {
      transferSyntaxUid = String.fromCharCode(...bytes.subarray(pos, pos + Math.min(n, 64))).replace(/[\0 ]+$/, "");
    }
    pos += n;
  }
}

// Core's bounded inflate, its FormatError named as the reader's: past maxBytes a limit, otherwise a defect.
function inflate(deflated: Uint8Array, maxBytes: number): Uint8Array {
  try {
    // maxBytes is only a cap here: start at 4x (DICOM deflates 2-4x) and let the buffer double, not at the cap.
    const initialBytes = 4 * deflated.length + 1024;
    return boundedInflate(deflated, "raw", { fn, what: "the deflated data set", maxBytes, initialBytes });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^readDicom: /, "") : String(e);
    if (/inflates to more than/.test(message)) {
      throw new DicomError("ERR_DICOM_LIMIT", fn, message, { reason: "bytes", limit: maxBytes });
    }
    throw format("deflate", message);
  }
}

// dicom-parser throws strings; its data set is only used after the structure was checked, so any throw left is a
// defect the gate did not name.
function parse<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DicomError) throw e;
    const inner = typeof e === "object" && e !== null && "exception" in e ? (e as { exception: unknown }).exception : e;
    throw format("parse", `dicom-parser: ${inner instanceof Error ? inner.message : String(inner)}`);
  }
}

function instanceOf(
  ds: DataSet,
  bytes: Uint8Array,
  ts: ReturnType<typeof transferSyntaxOf>,
  maxVoxels: number,
  maxFrames: number,
): DicomInstance {
  const rows = us(ds, "x00280010") ?? 0;
  const columns = us(ds, "x00280011") ?? 0;
  const frames = num(ds, "x00280008", "NumberOfFrames") ?? 1;
  if (!Number.isInteger(frames) || frames < 1) throw format("value", `NumberOfFrames is ${frames}`);
  // Bounds before the per-frame work: the voxels and frames against the limits, and no more frames than the pixel
  // data holds.
  if (rows * columns * frames > maxVoxels) {
    throw new DicomError(
      "ERR_DICOM_LIMIT",
      fn,
      `${rows} x ${columns} x ${frames} frames is more than maxVoxels ${maxVoxels}`,
      {
        reason: "voxels",
        limit: maxVoxels,
      },
    );
  }
  if (frames > maxFrames) {
    throw new DicomError("ERR_DICOM_LIMIT", fn, `${frames} frames is more than maxFrames ${maxFrames}`, {
      reason: "frames",
      limit: maxFrames,
      frames,
    });
  }
  const pixels = ds.elements.x7fe00010;
  const fragments = pixels?.fragments?.length ?? 0;
  const frameBytes = Math.max(
    1,
    rows * columns * Math.ceil((us(ds, "x00280100") ?? 8) / 8) * (us(ds, "x00280002") ?? 1),
  );
  const holds = !pixels
    ? 1
    : pixels.encapsulatedPixelData
      ? Math.max(1, fragments)
      : Math.floor(pixels.length / frameBytes);
  if (pixels && frames > holds) {
    throw format("pixel-length", `NumberOfFrames ${frames} is more than the pixel data holds (${holds})`);
  }
  const shared = firstItem(ds, "x52009229");
  const perFrame = ds.elements.x52009230?.items;
  if (perFrame && perFrame.length < frames) {
    throw format("value", `${perFrame.length} per-frame functional group items for ${frames} frames`);
  }
  const spacingOf = (s: DataSet | undefined) =>
    nums(s ?? ds, "x00280030", "PixelSpacing", 2) as [number, number] | undefined;
  const orientationOf = (s: DataSet | undefined) =>
    s ? nums(s, "x00200037", "ImageOrientationPatient", 6) : undefined;
  const pixelSpacing = spacingOf(firstItem(shared, "x00289110")) ?? spacingOf(undefined);
  const orientation = orientationOf(firstItem(shared, "x00209116")) ?? orientationOf(ds);
  const sliceThickness =
    num(firstItem(shared, "x00289110") ?? ds, "x00180050", "SliceThickness") ?? num(ds, "x00180050", "SliceThickness");
  const spacingBetweenSlices =
    num(firstItem(shared, "x00289110") ?? ds, "x00180088", "SpacingBetweenSlices") ??
    num(ds, "x00180088", "SpacingBetweenSlices");
  const rescaleOf = (s: DataSet | undefined) =>
    s ? { slope: num(s, "x00281053", "RescaleSlope"), intercept: num(s, "x00281052", "RescaleIntercept") } : undefined;
  const baseRescale = rescaleOf(firstItem(shared, "x00289145")) ?? rescaleOf(ds);
  const position = nums(ds, "x00200032", "ImagePositionPatient", 3) as [number, number, number] | undefined;
  const gridOffsets = nums(ds, "x3004000c", "GridFrameOffsetVector");
  const frameGeometry: DicomFrameGeometry[] = [];
  for (let f = 0; f < frames; f++) {
    const pf = perFrame?.[f]?.dataSet;
    const ipp = pf
      ? (nums(firstItem(pf, "x00209113") ?? pf, "x00200032", "ImagePositionPatient", 3) as
          | [number, number, number]
          | undefined)
      : undefined;
    const iop = pf ? orientationOf(firstItem(pf, "x00209116")) : undefined;
    const ps = pf
      ? (nums(firstItem(pf, "x00289110") ?? pf, "x00280030", "PixelSpacing", 2) as [number, number] | undefined)
      : undefined;
    const r = (pf ? rescaleOf(firstItem(pf, "x00289145")) : undefined) ?? baseRescale;
    frameGeometry.push({
      imagePositionPatient: ipp ?? framePosition(position, orientation, f, frames, gridOffsets, spacingBetweenSlices),
      imageOrientationPatient: iop ?? orientation,
      pixelSpacing: ps ?? pixelSpacing,
      rescaleSlope: r?.slope ?? 1,
      rescaleIntercept: r?.intercept ?? 0,
    });
  }
  const px = ds.elements.x7fe00010;
  const charset = characterSetTerms(str(ds, "x00080005"));
  return {
    transferSyntax: ts,
    sopClassUid: str(ds, "x00080016"),
    sopInstanceUid: str(ds, "x00080018"),
    studyInstanceUid: str(ds, "x0020000d"),
    seriesInstanceUid: str(ds, "x0020000e"),
    frameOfReferenceUid: str(ds, "x00200052"),
    modality: str(ds, "x00080060"),
    patientId: text(ds, "x00100020", charset),
    patientName: text(ds, "x00100010", charset),
    patientBirthDate: str(ds, "x00100030"),
    patientSex: str(ds, "x00100040"),
    studyId: text(ds, "x00200010", charset),
    studyDate: str(ds, "x00080020"),
    studyTime: str(ds, "x00080030"),
    studyDescription: text(ds, "x00081030", charset),
    accessionNumber: text(ds, "x00080050", charset),
    referringPhysicianName: text(ds, "x00080090", charset),
    seriesNumber: num(ds, "x00200011", "SeriesNumber"),
    seriesDescription: text(ds, "x0008103e", charset),
    instanceNumber: num(ds, "x00200013", "InstanceNumber"),
    rows,
    columns,
    frames,
    samplesPerPixel: us(ds, "x00280002") ?? 1,
    photometricInterpretation: str(ds, "x00280004"),
    bitsAllocated: us(ds, "x00280100") ?? 0,
    bitsStored: us(ds, "x00280101") ?? us(ds, "x00280100") ?? 0,
    highBit: us(ds, "x00280102") ?? (us(ds, "x00280101") ?? 1) - 1,
    pixelRepresentation: us(ds, "x00280103") ?? 0,
    pixelSpacing,
    imageOrientationPatient: orientation,
    sliceThickness,
    spacingBetweenSlices,
    frameGeometry,
    pixelData: px
      ? { offset: px.dataOffset, length: px.length, encapsulated: px.encapsulatedPixelData === true }
      : undefined,
    bytes,
  };
}

// A frame without its own position: a single-frame file keeps ImagePositionPatient; a multi-frame file without
// per-frame groups steps along the slice normal by GridFrameOffsetVector (RT dose) or SpacingBetweenSlices (NM
// tomography). Without either its frames have no place (a cine loop is frames in time): undefined, so a series of
// them is refused as "no-geometry" rather than stacked by guess.
function framePosition(
  ipp: readonly [number, number, number] | undefined,
  iop: readonly number[] | undefined,
  f: number,
  frames: number,
  offsets: readonly number[] | undefined,
  step: number | undefined,
): [number, number, number] | undefined {
  if (!ipp) return undefined;
  if (frames === 1) return [...ipp];
  const grid = offsets !== undefined && offsets.length === frames;
  if (!iop || (!grid && step === undefined)) return undefined;
  const n = cross(iop);
  const d = grid ? offsets[f] - offsets[0] : f * (step as number);
  return [ipp[0] + d * n[0], ipp[1] + d * n[1], ipp[2] + d * n[2]];
}

/** The slice normal: rows direction × columns direction of ImageOrientationPatient. */
export function cross(iop: readonly number[]): [number, number, number] {
  const [a, b, c, d, e, f] = iop;
  return [b * f - c * e, c * d - a * f, a * e - b * d];
}
