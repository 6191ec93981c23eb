export { type ModelRun, type Segmentation, type SegmentImageOptions, segmentImage } from "./segment-image.ts";
export { readStackSlice, writeStackSlice } from "./stack-slice.ts";
