export { ContractError, type ContractIssue } from "./contract-error.ts";
export { type ClassSpec, defaultContract2d, defaultContract3d } from "./default-contract.ts";
export {
  ClipStepSchema,
  CropOrPadStepSchema,
  type ModelContract,
  type ModelContractInput,
  ModelContractSchema,
  NormalizeStepSchema,
  type PreprocessStep,
  PreprocessStepSchema,
  ResizeStepSchema,
} from "./model-contract-schema.ts";
export { normalizeIntensity } from "./normalize-intensity.ts";
export { parseContract, type SafeParseContractResult, safeParseContract } from "./parse-contract.ts";
export { type Preprocessed, type PreprocessOptions, preprocess } from "./preprocess.ts";
export type { GeometryStep, PreprocessInfo } from "./preprocess-info.ts";
export { type PreprocessShape, preprocessShape } from "./preprocess-shape.ts";
export { restoreLabels } from "./restore-labels.ts";
export { type StackLayout, stackLayout } from "./stack-layout.ts";
