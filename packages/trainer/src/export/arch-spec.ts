import { ExportError } from "./export-error.ts";

/**
 * Which network to export: the official ACDC 2D U-Net (`UNet_2d`, code/networks/unet.py) or the LA 3D V-Net
 * (`VNet`, code/networks/VNet.py, batchnorm). `width` scales the base channels [16, 32, 64, 128, 256]
 * as the trainer's models do: max(1, round(c · width)).
 */
export interface ArchSpec {
  readonly kind: "unet2d" | "vnet3d";
  readonly inChannels: number;
  readonly numClasses: number;
  readonly width: number;
}

/** Weights in PyTorch state-dict layout, keyed by state-dict name (encoder/decoder keys; extra keys ignored). */
export type TorchWeights = Readonly<Record<string, Float32Array>>;

const BASE = [16, 32, 64, 128, 256];

/** The five feature-channel counts of `arch` (validated). */
export function archChannels(arch: ArchSpec, fn = "archChannels"): number[] {
  const bad = (what: string) => new ExportError("ERR_MODEL_ARGUMENT", fn, `arch.${what}`);
  if (arch.kind !== "unet2d" && arch.kind !== "vnet3d") throw bad(`kind must be "unet2d" or "vnet3d"`);
  if (!Number.isInteger(arch.inChannels) || arch.inChannels < 1) throw bad("inChannels must be an integer >= 1");
  if (!Number.isInteger(arch.numClasses) || arch.numClasses < 2) throw bad("numClasses must be an integer >= 2");
  if (!(Number.isFinite(arch.width) && arch.width > 0)) throw bad("width must be a positive number");
  return BASE.map((c) => Math.max(1, Math.round(c * arch.width)));
}

/** Spatial rank of the architecture (2 for the U-Net, 3 for the V-Net). */
export function archRank(arch: ArchSpec): 2 | 3 {
  return arch.kind === "unet2d" ? 2 : 3;
}
