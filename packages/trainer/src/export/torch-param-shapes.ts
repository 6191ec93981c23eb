import type { ArchSpec } from "./arch-spec.ts";
import { netLayers } from "./net-layers.ts";

/** Kind of a state-dict entry: conv weight/bias or BatchNorm affine/statistic. */
export type ParamKind = "weight" | "bias" | "bn.weight" | "bn.bias" | "bn.running_mean" | "bn.running_var";

/**
 * The float state-dict entries of `arch`'s encoder and decoder with their PyTorch shapes, in state-dict order (the
 * parameters of {@link netLayers} in forward order; num_batches_tracked and the unused heads are left out). Width 1
 * reproduces the official shapes (schedules_and_shapes.json › unet_2d / vnet_3d).
 */
export function torchParamShapes(arch: ArchSpec): Map<string, { shape: number[]; kind: ParamKind }> {
  const out = new Map<string, { shape: number[]; kind: ParamKind }>();
  for (const l of netLayers(arch).layers) {
    if (l.op === "conv") {
      out.set(`${l.name}.weight`, { shape: [...l.shape], kind: "weight" });
      out.set(`${l.name}.bias`, { shape: [l.shape[l.transpose ? 1 : 0]], kind: "bias" });
    } else if (l.op === "batchNorm") {
      for (const k of ["weight", "bias", "running_mean", "running_var"] as const)
        out.set(`${l.name}.${k}`, { shape: [l.c], kind: `bn.${k}` });
    }
  }
  return out;
}
