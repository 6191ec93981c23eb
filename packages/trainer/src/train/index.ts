export { hardwareVulkanDriver, type VulkanDriver, vulkanDrivers } from "../ort/vulkan-drivers.ts";
export { probeWebGpu, type WebGpuProbe } from "../ort/webgpu-probe.ts";
export { writeFileAtomic } from "./atomic-write-node.ts";
export {
  type BestRecord,
  type Checkpoint,
  type CheckpointMeta,
  decodeCheckpoint,
  encodeCheckpoint,
  type Stage,
  type ValidationRecord,
} from "./checkpoint.ts";
export { loadCheckpoint, saveCheckpoint } from "./checkpoint-file-node.ts";
export {
  DataConfigSchema,
  type FlagMeta,
  type TrainConfig,
  type TrainConfigInput,
  TrainConfigSchema,
} from "./config.ts";
export { contractForConfig } from "./contract-for-config.ts";
export { createModel } from "./create-model.ts";
export { type LrSchedule, lrAt } from "./lr-schedule.ts";
export { openTrainData, type TrainData, VAL_LISTS } from "./open-data.ts";
export { type EvalData, type EvalDataOptions, openEvalData } from "./open-eval-data.ts";
export { type DeepPartial, deepMerge, type PresetName, preset } from "./preset.ts";
export { formatDuration, ProgressBar, type ProgressFields, type ProgressSink } from "./progress-bar.ts";
export { buildReport, type RunSummary, type TrainReport } from "./report.ts";
export { nodeRunIo, type RunIo } from "./run-io-node.ts";
export { RUN_FILES, type TrainOptions, type TrainResult, train } from "./run-training.ts";
export { decodeSafetensors, encodeSafetensors, type SafetensorsContent, type StoredTensor } from "./safetensors.ts";
export { sampleTransform } from "./sample-transform.ts";
export { MomentumSgd, type SgdOptions, type SgdState } from "./sgd.ts";
export { type TfLoss, type TfMixLossOptions, tfMixLoss, tfSupervisedLoss } from "./tf-losses.ts";
export { TrainError, type TrainErrorCode } from "./train-error.ts";
export { pretrainStep, type StepContext, type StepStats, selfTrainStep } from "./train-steps.ts";
export { useBackend } from "./use-backend.ts";
export { firstCases, slicesToVolumes } from "./volume-cases.ts";
