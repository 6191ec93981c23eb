export { clipIntensity } from "./clip-intensity.ts";
export { type CropOrPadOptions, cropOrPad } from "./crop-or-pad.ts";
export { normalizeMinMax } from "./normalize-min-max.ts";
export { type NormalizeZScoreOptions, normalizeZScore } from "./normalize-z-score.ts";
export { type ResizeBilinearOptions, resizeBilinear } from "./resize-bilinear.ts";
export {
  type PredictPatch,
  type PredictPatchAsync,
  type SlidingWindowResult,
  slidingWindowInference,
  slidingWindowInferenceAsync,
} from "./sliding-window-inference.ts";
export { type SlidingWindowPlan, slidingWindowPlan } from "./sliding-window-plan.ts";
export { slidingWindowWeights } from "./sliding-window-weights.ts";
export { type ZoomNearestOptions, zoomNearest } from "./zoom-nearest.ts";
export { zoomShape } from "./zoom-shape.ts";
