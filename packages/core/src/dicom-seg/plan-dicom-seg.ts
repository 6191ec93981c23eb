import { ArgumentError, BcpError, DtypeError, ShapeError } from "../errors/bcp-error.ts";
import { CORE_VERSION } from "../version.ts";
import { buildSegDataset, perFrameItem, type SegFrame, type SegHeader, type SegSegment } from "./build-seg-dataset.ts";
import { str, tag } from "./dicom-dataset.ts";
import { DicomSegError } from "./dicom-seg-error.ts";
import { checkSegOptions, type DicomSegOptions } from "./dicom-seg-options.ts";
import { formatDs } from "./dicom-values.ts";
import { compileDataset } from "./encode-dataset.ts";
import { generateUid } from "./generate-uid.ts";
import { packSegFrames } from "./pack-seg-frames.ts";
import { checkSegClasses, type SegClass } from "./seg-classes.ts";
import { type CheckedSegSource, checkSegSource, type SegSource } from "./seg-source.ts";
import { IMPLEMENTATION_VERSION_NAME, SEG_UIDS } from "./seg-uids.ts";

/** A SEG ready to write: its exact size is known before any pixel is packed. */
export interface DicomSegPlan {
  /** Bytes of the Part 10 file {@link DicomSegPlan.encode} returns. */
  readonly byteLength: number;
  /** NumberOfFrames. */
  readonly frameCount: number;
  /** Frames (segment, slice) written, in file order; empty for a bound (labels null). */
  readonly frames: readonly SegFrame[];
  readonly segments: readonly SegSegment[];
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** Writes the file: 128-byte preamble, "DICM", file meta, data set, bit-packed Pixel Data. */
  encode(): Uint8Array;
}

/**
 * Plans a binary DICOM Segmentation of `labels` — Uint8 class indices [S, rows, columns] (column fastest), slice
 * s on `source.slices[s]` — with one segment per class but background (segment number = class index). Checks
 * everything and sizes the file without packing a pixel; `labels` null plans the largest file the source and
 * classes can give (every frame, UIDs of maximal length), the bound to refuse a request by before inference.
 */
export function planDicomSeg(
  labels: Uint8Array | null,
  source: SegSource,
  classes: readonly SegClass[],
  options: DicomSegOptions = {},
): DicomSegPlan {
  const fn = "planDicomSeg";
  checkSegOptions(fn, options);
  const src = checkSegSource(fn, source);
  const segments = checkSegClasses(fn, classes);
  const S = src.slices.length;
  const plane = src.rows * src.columns;
  const K = segments.length + 1;
  let present: Uint8Array | undefined;
  if (labels !== null) {
    if (!(labels instanceof Uint8Array)) throw new DtypeError(fn, "labels", "must be a Uint8Array");
    if (labels.length !== S * plane) {
      throw new ShapeError(
        fn,
        "labels",
        `has ${labels.length} values, [${S}, ${src.rows}, ${src.columns}] wants ${S * plane}`,
      );
    }
    present = new Uint8Array(S * K);
    for (let z = 0; z < S; z++) {
      // One read per pixel: a bit set of the classes seen (1 << c wraps past 31, so the largest is kept too).
      const base = z * plane;
      let seen = 0;
      let max = 0;
      for (let i = base; i < base + plane; i++) {
        const c = labels[i];
        seen |= 1 << c;
        if (c > max) max = c;
      }
      if (max >= K) {
        const at = labels.subarray(base, base + plane).findIndex((c) => c >= K) + base;
        throw new BcpError("ERR_RANGE", `${fn}: labels value ${labels[at]} at ${at} is not a class (${K} classes)`, {
          fn,
          arg: "labels",
        });
      }
      if (K <= 32) {
        for (let c = 0; c < K; c++) present[z * K + c] = (seen >>> c) & 1;
      } else {
        for (let i = base; i < base + plane; i++) present[z * K + labels[i]] = 1;
      }
    }
  }
  const byRank = src.positionIndex.map((_, i) => i).sort((a, b) => src.positionIndex[a] - src.positionIndex[b]);
  const omit = options.omitEmptyFrames ?? true;
  // A bound lists no frames: it counts every (segment, slice); a plan lists those it writes.
  const frames: SegFrame[] = [];
  if (present) {
    for (const g of segments) {
      for (const slice of byRank) if (!omit || present[slice * K + g.number]) frames.push({ segment: g.number, slice });
    }
    // A SEG needs a frame: an empty volume keeps one empty frame of the first segment.
    if (frames.length === 0) frames.push({ segment: 1, slice: byRank[0] });
  }
  const frameCount = present ? frames.length : S * segments.length;
  const tooLarge = (what: string) =>
    new DicomSegError("ERR_SEG_TOO_LARGE", fn, `${frameCount} frames of ${plane} pixels: ${what}`, {
      frames: frameCount,
    });
  if (frameCount > 2 ** 31 - 1) throw tooLarge("more than NumberOfFrames can count");
  if (frameCount * plane > 8 * 0xfffffffe) throw tooLarge("more than one Pixel Data element holds");
  const uid = labels === null ? () => `2.25.${"9".repeat(39)}` : () => generateUid(options.rng);
  const sopInstanceUid = uid();
  const header: SegHeader = {
    source: src,
    segments,
    frameCount,
    sopInstanceUid,
    seriesInstanceUid: uid(),
    dimensionOrganizationUid: uid(),
    now: options.now ?? new Date(),
    seriesNumber: options.seriesNumber ?? 1,
    instanceNumber: options.instanceNumber ?? 1,
    seriesDescription: options.seriesDescription ?? "bcpseg segmentation",
    contentLabel: options.contentLabel ?? "BCPSEG",
    contentDescription: options.contentDescription ?? "",
    contentCreatorName: options.contentCreatorName ?? "",
    algorithmName: options.algorithmName ?? "bcpseg",
    algorithmVersion: options.algorithmVersion ?? CORE_VERSION,
    manufacturerModelName: options.manufacturerModelName ?? "bcpseg",
    deviceSerialNumber: options.deviceSerialNumber ?? "0",
  };
  // Sized without building the per-frame items: an item's length depends on its slice's strings only (UIDs and
  // the position are ASCII; the segment number is a fixed-size US/UL), so one compiled item and the difference
  // of those strings give every slice's; encode() checks the sum against the data set it builds.
  const even = (n: number) => n + (n & 1);
  const varying = (sl: CheckedSegSource["slices"][number]) =>
    even(sl.sopClassUid.length) +
    even(sl.sopInstanceUid.length) +
    even(sl.imagePositionPatient.map(formatDs).join("\\").length) +
    (sl.frameNumber === undefined ? 0 : 8 + even(String(sl.frameNumber).length));
  const fixed = 8 + compileDataset(perFrameItem(src, { segment: 1, slice: 0 })).byteLength - varying(src.slices[0]);
  const itemBytes = src.slices.map((sl) => fixed + varying(sl));
  let perFrameBytes = 0;
  if (present) for (const f of frames) perFrameBytes += itemBytes[f.slice];
  else perFrameBytes = segments.length * itemBytes.reduce((a, b) => a + b, 0);
  if (perFrameBytes > 0xfffffffe) throw tooLarge("a Per-frame Functional Groups Sequence past 4 GiB");
  const rest = compileDataset(buildSegDataset(header, []));
  const meta = compileDataset([
    { tag: tag(0x0002, 0x0001), vr: "OB", value: Uint8Array.of(0, 1) },
    str(tag(0x0002, 0x0002), "UI", SEG_UIDS.segmentationStorage),
    str(tag(0x0002, 0x0003), "UI", sopInstanceUid),
    str(tag(0x0002, 0x0010), "UI", SEG_UIDS.explicitVrLittleEndian),
    str(tag(0x0002, 0x0012), "UI", SEG_UIDS.implementationClass),
    str(tag(0x0002, 0x0013), "SH", IMPLEMENTATION_VERSION_NAME),
  ]);
  const pixelBytes = Math.ceil((frameCount * plane) / 8);
  const pixelLength = pixelBytes + (pixelBytes & 1);
  const datasetBytes = rest.byteLength + perFrameBytes;
  const byteLength = 128 + 4 + 12 + meta.byteLength + datasetBytes + 12 + pixelLength;
  if (options.maxBytes !== undefined && byteLength > options.maxBytes) {
    throw new DicomSegError(
      "ERR_SEG_TOO_LARGE",
      fn,
      `the SEG takes ${byteLength} bytes, over maxBytes ${options.maxBytes}`,
      {
        bytes: byteLength,
        maxBytes: options.maxBytes,
      },
    );
  }
  return {
    byteLength,
    frameCount,
    frames,
    segments,
    sopInstanceUid,
    seriesInstanceUid: header.seriesInstanceUid,
    encode() {
      if (labels === null)
        throw new ArgumentError("DicomSegPlan.encode", "labels", "a bound (labels null) cannot be written");
      const dataset = compileDataset(buildSegDataset(header, frames));
      if (dataset.byteLength !== datasetBytes) {
        throw new BcpError(
          "ERR_SEG_INTERNAL",
          `DicomSegPlan.encode: data set of ${dataset.byteLength} bytes, planned ${datasetBytes}`,
        );
      }
      const out = new Uint8Array(byteLength);
      const view = new DataView(out.buffer);
      out.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
      // (0002,0000) File Meta Information Group Length, UL
      view.setUint32(132, 0x00000002, true);
      out.set([0x55, 0x4c], 136);
      view.setUint16(138, 4, true);
      view.setUint32(140, meta.byteLength, true);
      let at = meta.write(view, 144);
      at = dataset.write(view, at);
      // (7FE0,0010) Pixel Data, OB
      view.setUint16(at, 0x7fe0, true);
      view.setUint16(at + 2, 0x0010, true);
      out.set([0x4f, 0x42], at + 4);
      view.setUint32(at + 8, pixelLength, true);
      packSegFrames(labels, plane, frames, out.subarray(at + 12, at + 12 + pixelBytes));
      return out;
    },
  };
}
