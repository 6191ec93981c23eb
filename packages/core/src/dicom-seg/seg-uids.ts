/** DICOM UIDs the SEG writer uses (PS3.6 annex A). */
export const SEG_UIDS = {
  /** Segmentation Storage SOP Class. */
  segmentationStorage: "1.2.840.10008.5.1.4.1.1.66.4",
  /** Explicit VR Little Endian transfer syntax. */
  explicitVrLittleEndian: "1.2.840.10008.1.2.1",
  /** bcpseg's implementation class UID (a fixed 2.25 UUID UID). */
  implementationClass: "2.25.128264177979868583990453945312304718677",
} as const;

/** ImplementationVersionName of the file meta information (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = "BCPSEG";
