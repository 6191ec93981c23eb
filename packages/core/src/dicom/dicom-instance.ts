import type { TransferSyntax } from "./transfer-syntax.ts";

/** Where a frame of a file lies and how its values scale (from per-frame functional groups, when present). */
export interface DicomFrameGeometry {
  /** ImagePositionPatient of the frame's first pixel, mm, LPS; undefined when the file has none. */
  readonly imagePositionPatient?: readonly [number, number, number];
  readonly imageOrientationPatient?: readonly number[];
  readonly pixelSpacing?: readonly [number, number];
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
}

/** The patient, study and series attributes a file carries and its series (a DicomSeries takes its first file's). */
export interface DicomSeriesAttributes {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
  readonly modality: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyId: string;
  readonly studyDate: string;
  readonly studyTime: string;
  readonly studyDescription: string;
  readonly accessionNumber: string;
  readonly referringPhysicianName: string;
  readonly seriesNumber?: number;
  readonly seriesDescription: string;
}

/** The header of one DICOM image file, read and checked; pixels stay in `bytes` until decodeDicomFrames. */
export interface DicomInstance extends DicomSeriesAttributes {
  readonly transferSyntax: TransferSyntax;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly instanceNumber?: number;
  readonly rows: number;
  readonly columns: number;
  /** NumberOfFrames (1 for a single-frame file). */
  readonly frames: number;
  readonly samplesPerPixel: number;
  readonly photometricInterpretation: string;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  /** 0 unsigned, 1 two's complement. */
  readonly pixelRepresentation: number;
  /** (row spacing, column spacing) mm: PixelSpacing, or the shared functional groups' PixelMeasures. */
  readonly pixelSpacing?: readonly [number, number];
  readonly imageOrientationPatient?: readonly number[];
  readonly sliceThickness?: number;
  readonly spacingBetweenSlices?: number;
  /** One entry per frame. */
  readonly frameGeometry: readonly DicomFrameGeometry[];
  /** Pixel data (7FE0,0010) in `bytes`; undefined when the file has none. */
  readonly pixelData?: { readonly offset: number; readonly length: number; readonly encapsulated: boolean };
  /** The file's bytes (the inflated data set for a deflated file). */
  readonly bytes: Uint8Array;
}
