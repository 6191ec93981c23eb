export { AcdcDataset, type AcdcDatasetOptions } from "./acdc-dataset.ts";
export {
  augmentSample2d,
  augmentSample3d,
  type SampleTransform,
  type ShapedSample,
  trainTransform,
} from "./augment-sample.ts";
export { DataError, type DataErrorCode, isDataError } from "./data-error.ts";
export { type FilePair, findPairs, LABEL_SUFFIXES } from "./find-pairs.ts";
export { type H5Array, readH5, writeH5 } from "./h5-node.ts";
export {
  type DataProblem,
  type DatasetReport,
  type InspectOptions,
  inspectDataset,
  type SplitReport,
} from "./inspect-dataset.ts";
export { LA_SCANS_DIR, LaDataset, type LaDatasetOptions } from "./la-dataset.ts";
export { loadBatch } from "./load-batch.ts";
export { type Batch, makeBatch } from "./make-batch.ts";
export { NiftiFolderDataset, type NiftiFolderDatasetOptions } from "./nifti-folder-dataset.ts";
export { patientOf } from "./patient-of.ts";
export { permutation } from "./permutation.ts";
export { PngFolderDataset, type PngFolderDatasetOptions } from "./png-folder-dataset.ts";
export type { Dataset, Sample } from "./sample.ts";
export { type Split, type SplitSpec, splitByPatients } from "./split-by-patients.ts";
export { splitFirst } from "./split-first.ts";
export { SynthDataset2d, SynthDataset3d } from "./synth-dataset.ts";
export { TwoStreamBatchSampler, type TwoStreamSamplerState } from "./two-stream-batch-sampler.ts";
