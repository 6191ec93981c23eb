import type { SegmentationModel } from "../models/segmentation-model.ts";
import { fromTorchLayout, fromTorchShape, toTorchLayout } from "../nn/torch-layout.ts";
import type { ArchSpec } from "./arch-spec.ts";
import { ExportError } from "./export-error.ts";
import { torchParamShapes } from "./torch-param-shapes.ts";

/** The exporter's input ({@link ArchSpec} and PyTorch-layout weights) from a trainer model (U-Net or V-Net). */
export function exportInputFromModel(
  model: SegmentationModel<{ inChannels: number; numClasses: number; width: number }>,
): { arch: ArchSpec; weights: Record<string, Float32Array> } {
  const { inChannels, numClasses, width } = model.config;
  const arch: ArchSpec = { kind: model.arch, inChannels, numClasses, width };
  return { arch, weights: torchWeightsFromModel(arch, model.getWeights()) };
}

/**
 * PyTorch-layout weights of `arch` from tfjs-layout weights by state-dict name (a model's `getWeights()`, a
 * checkpoint's `student`); extra entries (num_batches_tracked) are ignored, a missing one is ERR_MODEL_WEIGHTS.
 */
export function torchWeightsFromModel(
  arch: ArchSpec,
  tfjs: Readonly<Record<string, ArrayLike<number>>>,
): Record<string, Float32Array> {
  const weights: Record<string, Float32Array> = {};
  for (const [name, { shape }] of torchParamShapes(arch)) {
    const data = tfjs[name];
    if (data === undefined) {
      throw new ExportError("ERR_MODEL_WEIGHTS", "torchWeightsFromModel", `weights have no "${name}"`);
    }
    weights[name] = toTorchLayout(Float32Array.from(data), fromTorchShape(shape)).data;
  }
  return weights;
}

/** The inverse: PyTorch-layout weights → the tfjs-layout map `model.setWeights` takes (num_batches_tracked = 0). */
export function modelWeightsFromTorch(
  arch: ArchSpec,
  weights: Readonly<Record<string, Float32Array>>,
): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, { shape, kind }] of torchParamShapes(arch)) {
    out[name] = fromTorchLayout(weights[name], shape).data;
    if (kind === "bn.weight") out[name.replace(/weight$/, "num_batches_tracked")] = Float32Array.of(0);
  }
  return out;
}
