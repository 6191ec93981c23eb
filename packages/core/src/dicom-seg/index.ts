export { DicomSegError, type DicomSegErrorCode } from "./dicom-seg-error.ts";
export { dicomSegByteBound, encodeDicomSeg } from "./encode-dicom-seg.ts";
export { generateUid } from "./generate-uid.ts";
export { type DicomSegOptions, type DicomSegPlan, planDicomSeg, type SegClass } from "./plan-dicom-seg.ts";
export { rgbToDicomLab } from "./rgb-to-dicom-lab.ts";
export { type SegSource, SegSourceSchema, type SegSourceSlice } from "./seg-source.ts";
export { type DicomSegResult, type LabelVolume, type SegToDicomOptions, segToDicom } from "./seg-to-dicom.ts";
export { SEG_CATEGORY, type SegCode, type SegmentCodes, segmentCodes } from "./segment-codes.ts";
