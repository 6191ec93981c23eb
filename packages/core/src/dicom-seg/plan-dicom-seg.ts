import { z } from "zod";
import { ArgumentError, BcpError, DtypeError, ShapeError } from "../errors/bcp-error.ts";
import { zodIssues } from "../errors/zod-issues.ts";
import type { Rng } from "../rng/create-rng.ts";
import { CORE_VERSION } from "../version.ts";
import { buildSegDataset, perFrameItem, type SegFrame, type SegHeader, type SegSegment } from "./build-seg-dataset.ts";
import { str, tag } from "./dicom-dataset.ts";
import { DicomSegError } from "./dicom-seg-error.ts";
import { formatDs } from "./dicom-values.ts";
import { compileDataset } from "./encode-dataset.ts";
import { generateUid } from "./generate-uid.ts";
import { packSegFrames } from "./pack-seg-frames.ts";
import { rgbToDicomLab } from "./rgb-to-dicom-lab.ts";
import { type CheckedSegSource, checkSegSource, type SegSource } from "./seg-source.ts";
import { IMPLEMENTATION_VERSION_NAME, SEG_UIDS } from "./seg-uids.ts";
import { type SegmentCodes, segmentCodes } from "./segment-codes.ts";

/** A class as the SEG takes it: the model contract's (index, name, optional #rrggbb colour), optional codes. */
export interface SegClass {
  readonly index: number;
  readonly name: string;
  readonly color?: string;
  /** SegmentedPropertyCategory/Type; default by name ({@link segmentCodes}). */
  readonly codes?: SegmentCodes;
}

/** Options of {@link planDicomSeg}. */
export interface DicomSegOptions {
  /** Source of the new UIDs' random bits (replayable); default the runtime's Web Crypto. */
  readonly rng?: Rng;
  /** Creation instant of the instance (content, series and instance dates, in UTC); default now. */
  readonly now?: Date;
  /** Leave out the frames of a segment on a slice where it has no pixel (default true, as highdicom does). */
  readonly omitEmptyFrames?: boolean;
  /** Refuse (ERR_SEG_TOO_LARGE) before packing when the file would be larger. */
  readonly maxBytes?: number;
  readonly seriesNumber?: number;
  readonly instanceNumber?: number;
  readonly seriesDescription?: string;
  /** ContentLabel (CS: A-Z, 0-9, space, _; at most 16); default "BCPSEG". */
  readonly contentLabel?: string;
  readonly contentDescription?: string;
  readonly contentCreatorName?: string;
  /** SegmentAlgorithmName and AlgorithmName; default "bcpseg". */
  readonly algorithmName?: string;
  /** AlgorithmVersion and SoftwareVersions; default core's version. */
  readonly algorithmVersion?: string;
  /** ManufacturerModelName (e.g. the model contract's name); default "bcpseg". */
  readonly manufacturerModelName?: string;
  readonly deviceSerialNumber?: string;
}

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

// Okabe-Ito, the edge API's overlay colours, for classes without their own.
const CYCLE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"];

const lo = z
  .string()
  .max(64)
  .regex(/^[^\\\p{Cc}]*$/u, "no backslash or control characters");
const OptionsSchema = z.object({
  omitEmptyFrames: z.boolean().optional(),
  maxBytes: z.number().int().min(0).optional(),
  seriesNumber: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  instanceNumber: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  seriesDescription: lo.optional(),
  contentLabel: z
    .string()
    .regex(/^[A-Z0-9_ ]{1,16}$/, "CS is 1 to 16 of A-Z, 0-9, space, _")
    .optional(),
  contentDescription: lo.optional(),
  contentCreatorName: lo.optional(),
  algorithmName: lo.min(1).optional(),
  algorithmVersion: lo.min(1).optional(),
  manufacturerModelName: lo.min(1).optional(),
  deviceSerialNumber: lo.min(1).optional(),
  rng: z
    .custom<Rng>((r) => typeof (r as Rng | null)?.nextUint32 === "function", "must be an Rng (createRng)")
    .optional(),
  now: z
    .date()
    .refine((d) => Number.isFinite(d.getTime()), "must be a valid date")
    .optional(),
});

// A code item: CodeValue and CodingSchemeDesignator SH (16), CodeMeaning LO (64), none empty.
const sh = z
  .string()
  .min(1)
  .max(16)
  .regex(/^[^\\\p{Cc}]*$/u, "no backslash or control characters");
const CodeSchema = z.object({ value: sh, scheme: sh, meaning: lo.min(1) });

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
  const o = OptionsSchema.safeParse(options);
  if (!o.success) {
    const i = zodIssues(o.error)[0];
    throw new ArgumentError(fn, `options${i.path ? `.${i.path}` : ""}`, i.message);
  }
  const src = checkSegSource(fn, source);
  const segments = checkClasses(fn, classes);
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

function checkClasses(fn: string, classes: readonly SegClass[]): SegSegment[] {
  if (!Array.isArray(classes) || classes.length < 2 || classes.length > 256) {
    throw new ArgumentError(fn, "classes", "must list 2 to 256 classes (background and at least one segment)");
  }
  const byIndex = [...classes].sort((a, b) => a.index - b.index);
  byIndex.forEach((c, k) => {
    if (c.index !== k) throw new ArgumentError(fn, "classes", `indices must be 0..${classes.length - 1}, each once`);
    if (typeof c.name !== "string" || c.name.length === 0)
      throw new ArgumentError(fn, `classes[${k}].name`, "must not be empty");
    if (c.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(c.color)) {
      throw new ArgumentError(fn, `classes[${k}].color`, `must be #rrggbb, got ${c.color}`);
    }
  });
  return byIndex.slice(1).map((c) => {
    // LO: at most 64 characters, no backslash or control character (contract names are not bounded).
    const label = c.name.replace(/[\\\p{Cc}]/gu, " ").slice(0, 64);
    const codes = c.codes ?? segmentCodes(label, c.index);
    for (const [which, code] of [
      ["category", codes.category],
      ["type", codes.type],
    ] as const) {
      const r = CodeSchema.safeParse(code);
      if (!r.success) {
        const i = zodIssues(r.error)[0];
        throw new ArgumentError(fn, `classes[${c.index}].codes.${which}${i.path ? `.${i.path}` : ""}`, i.message);
      }
    }
    return {
      number: c.index,
      label,
      category: codes.category,
      type: codes.type,
      lab: rgbToDicomLab(c.color ?? CYCLE[(c.index - 1) % CYCLE.length]),
    };
  });
}
