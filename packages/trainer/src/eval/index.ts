export { type CaseSource, type EvaluateModelOptions, evaluateModel } from "./evaluate-model.ts";
export { logitsOf } from "./logits-of.ts";
export { type PredictVolume2dOptions, predictVolume2d } from "./predict-volume-2d.ts";
export { type PredictVolume3dOptions, predictVolume3d } from "./predict-volume-3d.ts";
export { scoreCase } from "./score-case.ts";
export type { CaseResult, ClassMetrics, EvalCase, EvalModel, EvalResult, LogitsFn, Segmenter } from "./types.ts";
