import { defaultContract2d, defaultContract3d, type ModelContract } from "@bcpseg/core";
import type { TrainConfig } from "./config.ts";

const NAMES: Record<number, string[]> = {
  4: ["background", "right ventricle", "myocardium", "left ventricle"],
};

/** The model contract of a trained config: ACDC-style for 2D models, LA-style (sliding window) for 3D ones. */
export function contractForConfig(config: TrainConfig): ModelContract {
  const k = config.classes;
  const name = `bcp-${config.data.kind}-${config.model.arch}`;
  if (config.model.arch === "unet2d") {
    const classes = NAMES[k] ?? ["background", ...Array.from({ length: k - 1 }, (_, i) => `class ${i + 1}`)];
    const [h, w] = config.patchSize;
    return defaultContract2d({ name, classes, size: [h, w], scipyEdgeQuirk: config.quirks.scipyEdgeQuirk });
  }
  const classes =
    k === 2
      ? ["background", config.data.kind === "la" ? "left atrium" : "foreground"]
      : ["background", ...Array.from({ length: k - 1 }, (_, i) => `class ${i + 1}`)];
  const [x, y, z] = config.patchSize;
  const stride = (config.validation.stride ?? config.patchSize.map((d) => Math.max(1, Math.floor(d / 2)))) as [
    number,
    number,
    number,
  ];
  return defaultContract3d({ name, classes, size: [x, y, z], stride });
}
