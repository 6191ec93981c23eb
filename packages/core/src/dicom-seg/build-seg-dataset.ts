import { at, type DicomDataset, type DicomElement, sq, str, tag, ul, us } from "./dicom-dataset.ts";
import { formatDa, formatDs, formatTm } from "./dicom-values.ts";
import type { CheckedSegSource } from "./seg-source.ts";
import { SEG_UIDS } from "./seg-uids.ts";
import { LOCAL_SCHEME, type SegCode } from "./segment-codes.ts";

/** One segment as written: number (= class index), label, codes, colour, algorithm. */
export interface SegSegment {
  readonly number: number;
  readonly label: string;
  readonly category: SegCode;
  readonly type: SegCode;
  readonly lab: readonly [number, number, number];
}

/** One frame: the segment it shows and the source slice (index into source.slices) it lies on. */
export interface SegFrame {
  readonly segment: number;
  readonly slice: number;
}

/** Everything the SEG data set is built from, resolved. */
export interface SegHeader {
  readonly source: CheckedSegSource;
  readonly segments: readonly SegSegment[];
  /** NumberOfFrames (the per-frame items may be left out to size the rest). */
  readonly frameCount: number;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly dimensionOrganizationUid: string;
  readonly now: Date;
  readonly seriesNumber: number;
  readonly instanceNumber: number;
  readonly seriesDescription: string;
  readonly contentLabel: string;
  readonly contentDescription: string;
  readonly contentCreatorName: string;
  readonly algorithmName: string;
  readonly algorithmVersion: string;
  readonly manufacturerModelName: string;
  readonly deviceSerialNumber: string;
}

const code = (t: number, c: SegCode) =>
  sq(t, [
    str(tag(0x0008, 0x0100), "SH", c.value),
    str(tag(0x0008, 0x0102), "SH", c.scheme),
    str(tag(0x0008, 0x0104), "LO", c.meaning),
  ]);

const DCM = (value: string, meaning: string): SegCode => ({ value, scheme: "DCM", meaning });
const SEGMENTATION = DCM("113076", "Segmentation");
const SOURCE_IMAGE = DCM("121322", "Source image for image processing operation");
const ARTIFICIAL_INTELLIGENCE = DCM("123110", "Artificial Intelligence");

const T = {
  imagePositionPatient: tag(0x0020, 0x0032),
  planePositionSequence: tag(0x0020, 0x9113),
  referencedSegmentNumber: tag(0x0062, 0x000b),
  segmentIdentificationSequence: tag(0x0062, 0x000a),
} as const;

/**
 * The data set of a binary Segmentation IOD (PS3.3 A.51) without its Pixel Data: patient and study copied from
 * the source, a new series and instance in the source's frame of reference, one Segment Sequence item per
 * segment, shared pixel measures and orientation, and per frame its position, source image (Derivation Image)
 * and segment, indexed by the dimensions (segment number, position along the normal).
 */
export function buildSegDataset(h: SegHeader, frames: readonly SegFrame[]): DicomElement[] {
  const s = h.source;
  const date = formatDa(h.now);
  const time = formatTm(h.now);
  const texts = [
    s.patientName,
    s.patientId,
    s.studyId,
    s.accessionNumber,
    s.referringPhysicianName,
    h.seriesDescription,
    h.contentDescription,
    h.contentCreatorName,
    h.algorithmName,
    h.algorithmVersion,
    h.manufacturerModelName,
    h.deviceSerialNumber,
    ...h.segments.flatMap((g) => [g.label, g.type.meaning, g.category.meaning]),
  ];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range
  const utf8 = texts.some((t) => t !== undefined && /[^\u0000-\u007f]/.test(t));
  const referenced = new Map<string, string>(); // SOP instance UID -> SOP class UID, in source order
  for (const sl of s.slices) referenced.set(sl.sopInstanceUid, sl.sopClassUid);

  const pixelMeasures: DicomElement[] = [str(tag(0x0028, 0x0030), "DS", s.pixelSpacing.map(formatDs).join("\\"))];
  const thickness = s.sliceThickness ?? s.sliceSpacing;
  if (thickness !== undefined) pixelMeasures.push(str(tag(0x0018, 0x0050), "DS", formatDs(thickness)));

  const perFrame = frames.map((f) => perFrameItem(s, f));

  const dimension = (pointer: number, group: number, label: string): DicomDataset => [
    str(tag(0x0020, 0x9164), "UI", h.dimensionOrganizationUid),
    at(tag(0x0020, 0x9165), pointer),
    at(tag(0x0020, 0x9167), group),
    str(tag(0x0020, 0x9421), "LO", label),
  ];

  const segmentItems = h.segments.map(
    (g): DicomDataset => [
      code(tag(0x0062, 0x0003), g.category),
      us(tag(0x0062, 0x0004), g.number),
      str(tag(0x0062, 0x0005), "LO", g.label),
      sq(tag(0x0062, 0x0007), [
        code(tag(0x0066, 0x002f), ARTIFICIAL_INTELLIGENCE),
        str(tag(0x0066, 0x0031), "LO", h.algorithmVersion),
        str(tag(0x0066, 0x0036), "LO", h.algorithmName),
      ]),
      str(tag(0x0062, 0x0008), "CS", "AUTOMATIC"),
      str(tag(0x0062, 0x0009), "LO", h.algorithmName),
      us(tag(0x0062, 0x000d), ...g.lab),
      code(tag(0x0062, 0x000f), g.type),
    ],
  );

  const out: DicomElement[] = [
    // SOP Common
    str(tag(0x0008, 0x0012), "DA", date),
    str(tag(0x0008, 0x0013), "TM", time),
    str(tag(0x0008, 0x0016), "UI", SEG_UIDS.segmentationStorage),
    str(tag(0x0008, 0x0018), "UI", h.sopInstanceUid),
    str(tag(0x0008, 0x0201), "SH", "+0000"),
    // Patient, General Study (type 2: present, empty when the source has no value)
    str(tag(0x0010, 0x0010), "PN", s.patientName ?? ""),
    str(tag(0x0010, 0x0020), "LO", s.patientId ?? ""),
    str(tag(0x0010, 0x0030), "DA", s.patientBirthDate ?? ""),
    str(tag(0x0010, 0x0040), "CS", s.patientSex ?? ""),
    str(tag(0x0020, 0x000d), "UI", s.studyInstanceUid),
    str(tag(0x0008, 0x0020), "DA", s.studyDate ?? ""),
    str(tag(0x0008, 0x0030), "TM", s.studyTime ?? ""),
    str(tag(0x0008, 0x0050), "SH", s.accessionNumber ?? ""),
    str(tag(0x0008, 0x0090), "PN", s.referringPhysicianName ?? ""),
    str(tag(0x0020, 0x0010), "SH", s.studyId ?? ""),
    // General Series, Segmentation Series
    str(tag(0x0008, 0x0021), "DA", date),
    str(tag(0x0008, 0x0031), "TM", time),
    str(tag(0x0008, 0x0060), "CS", "SEG"),
    str(tag(0x0008, 0x103e), "LO", h.seriesDescription),
    str(tag(0x0020, 0x000e), "UI", h.seriesInstanceUid),
    str(tag(0x0020, 0x0011), "IS", String(h.seriesNumber)),
    // Frame of Reference
    str(tag(0x0020, 0x0052), "UI", s.frameOfReferenceUid),
    str(tag(0x0020, 0x1040), "LO", ""),
    // General and Enhanced General Equipment
    str(tag(0x0008, 0x0070), "LO", "bcpseg"),
    str(tag(0x0008, 0x1090), "LO", h.manufacturerModelName),
    str(tag(0x0018, 0x1000), "LO", h.deviceSerialNumber),
    str(tag(0x0018, 0x1020), "LO", h.algorithmVersion),
    // General Image, Segmentation Image, Image Pixel
    str(tag(0x0008, 0x0008), "CS", "DERIVED\\PRIMARY"),
    str(tag(0x0008, 0x0023), "DA", date),
    str(tag(0x0008, 0x0033), "TM", time),
    str(tag(0x0020, 0x0013), "IS", String(h.instanceNumber)),
    str(tag(0x0070, 0x0080), "CS", h.contentLabel),
    str(tag(0x0070, 0x0081), "LO", h.contentDescription),
    str(tag(0x0070, 0x0084), "PN", h.contentCreatorName),
    us(tag(0x0028, 0x0002), 1),
    str(tag(0x0028, 0x0004), "CS", "MONOCHROME2"),
    str(tag(0x0028, 0x0008), "IS", String(h.frameCount)),
    us(tag(0x0028, 0x0010), s.rows),
    us(tag(0x0028, 0x0011), s.columns),
    us(tag(0x0028, 0x0100), 1),
    us(tag(0x0028, 0x0101), 1),
    us(tag(0x0028, 0x0102), 0),
    us(tag(0x0028, 0x0103), 0),
    str(tag(0x0028, 0x2110), "CS", "00"),
    str(tag(0x0062, 0x0001), "CS", "BINARY"),
    sq(tag(0x0062, 0x0002), ...segmentItems),
    str(tag(0x0062, 0x0013), "CS", "NO"),
    // Multi-frame Dimension
    sq(tag(0x0020, 0x9221), [str(tag(0x0020, 0x9164), "UI", h.dimensionOrganizationUid)]),
    sq(
      tag(0x0020, 0x9222),
      dimension(T.referencedSegmentNumber, T.segmentIdentificationSequence, "ReferencedSegmentNumber"),
      dimension(T.imagePositionPatient, T.planePositionSequence, "ImagePositionPatient"),
    ),
    // Multi-frame Functional Groups
    sq(tag(0x5200, 0x9229), [
      sq(tag(0x0020, 0x9116), [str(tag(0x0020, 0x0037), "DS", s.imageOrientationPatient.map(formatDs).join("\\"))]),
      sq(tag(0x0028, 0x9110), pixelMeasures),
    ]),
    sq(tag(0x5200, 0x9230), ...perFrame),
    // Common Instance Reference
    sq(tag(0x0008, 0x1115), [
      sq(
        tag(0x0008, 0x114a),
        ...[...referenced].map(
          ([inst, cls]): DicomDataset => [str(tag(0x0008, 0x1150), "UI", cls), str(tag(0x0008, 0x1155), "UI", inst)],
        ),
      ),
      str(tag(0x0020, 0x000e), "UI", s.seriesInstanceUid),
    ]),
  ];
  // Private coding schemes ("99" prefix) are identified in the Coding Scheme Identification Sequence.
  const local = [...new Set(h.segments.flatMap((g) => [g.category.scheme, g.type.scheme]))].filter((d) =>
    d.startsWith("99"),
  );
  if (local.length > 0) {
    out.push(
      sq(
        tag(0x0008, 0x0110),
        ...local.map(
          (d): DicomDataset => [
            str(tag(0x0008, 0x0102), "SH", d),
            str(tag(0x0008, 0x0115), "ST", d === LOCAL_SCHEME.designator ? LOCAL_SCHEME.name : d),
            str(tag(0x0008, 0x0116), "ST", d === LOCAL_SCHEME.designator ? LOCAL_SCHEME.organization : "unknown"),
          ],
        ),
      ),
    );
  }
  if (utf8) out.push(str(tag(0x0008, 0x0005), "CS", "ISO_IR 192"));
  return out;
}

/**
 * The Per-frame Functional Groups item of one frame: its source image (Derivation Image), dimension index values,
 * position and segment. Its length depends on the slice only (the segment number is a fixed-size US/UL).
 */
export function perFrameItem(s: CheckedSegSource, f: SegFrame): DicomDataset {
  const sl = s.slices[f.slice];
  const sourceImage: DicomElement[] = [
    str(tag(0x0008, 0x1150), "UI", sl.sopClassUid),
    str(tag(0x0008, 0x1155), "UI", sl.sopInstanceUid),
    code(tag(0x0040, 0xa170), SOURCE_IMAGE),
  ];
  if (sl.frameNumber !== undefined) sourceImage.push(str(tag(0x0008, 0x1160), "IS", String(sl.frameNumber)));
  return [
    sq(tag(0x0008, 0x9124), [sq(tag(0x0008, 0x2112), sourceImage), code(tag(0x0008, 0x9215), SEGMENTATION)]),
    sq(tag(0x0020, 0x9111), [ul(tag(0x0020, 0x9157), f.segment, s.positionIndex[f.slice])]),
    sq(T.planePositionSequence, [str(T.imagePositionPatient, "DS", sl.imagePositionPatient.map(formatDs).join("\\"))]),
    sq(T.segmentIdentificationSequence, [us(T.referencedSegmentNumber, f.segment)]),
  ];
}
