// Where bench/onnx gets its network: the newest ACDC checkpoint of runs/acdc-bcp when one exists, else random
// weights; and the calibration images that go with it.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRng, synthSlices2d, zoomNearest } from "@bcpseg/core";
import { AcdcDataset, type ArchSpec, loadCheckpoint, randomTorchWeights, torchWeightsFromModel } from "@bcpseg/trainer";
import { sharedDataRoot } from "../lib/shared-data.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const RUN_DIR = join(ROOT, "runs/acdc-bcp");
/** ACDC (SSL4MIS layout) when no --root is given: ../shared/data/ACDC beside the repository. */
export const ACDC_ROOT = sharedDataRoot("ACDC");
/** Checkpoints in order of preference. */
const CANDIDATES = ["selftrain-best.safetensors", "last.safetensors", "pretrain-best.safetensors"];

export interface NetSource {
  readonly arch: ArchSpec;
  readonly weights: Record<string, Float32Array>;
  /** Input size [h, w]: 256x256, or the checkpoint's training patch (the ACDC protocol resizes slices to it). */
  readonly size: [number, number];
  /** "random (seed 1)" or the checkpoint path with its stage, iteration and validation Dice. */
  readonly description: string;
  readonly checkpoint: string | undefined;
}

/** The checkpoint named by `path`, else the first of {@link CANDIDATES} in runs/acdc-bcp, else undefined. */
export function findCheckpoint(path?: string): string | undefined {
  if (path !== undefined) return resolve(path);
  return CANDIDATES.map((f) => join(RUN_DIR, f)).find((p) => existsSync(p) && statSync(p).size > 0);
}

/** Random weights of a 2D U-Net of `width` (1 input channel, 4 classes). */
export function randomSource(width: number): NetSource {
  const arch: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: 4, width };
  const weights = randomTorchWeights(arch, createRng(1));
  return { arch, weights, size: [256, 256], description: "random weights (seed 1)", checkpoint: undefined };
}

/** The student of a training checkpoint (a 2D U-Net) as exporter input. */
export async function checkpointSource(checkpoint: string): Promise<NetSource> {
  const ckpt = await loadCheckpoint(checkpoint);
  const { model, classes, patchSize } = ckpt.meta.config;
  if (model.arch !== "unet2d") throw new Error(`bench/onnx: ${checkpoint} holds a ${model.arch}, not a unet2d`);
  const arch: ArchSpec = { kind: "unet2d", inChannels: 1, numClasses: classes, width: model.width };
  const best = ckpt.meta.best[ckpt.meta.stage];
  const dice = best ? `, best val Dice ${best.dice.toFixed(4)} @ ${best.iteration}` : "";
  return {
    arch,
    weights: torchWeightsFromModel(arch, ckpt.student),
    size: [patchSize[0], patchSize[1]],
    description: `${checkpoint.replace(`${ROOT}/`, "")} (${ckpt.meta.stage} iteration ${ckpt.meta.iteration}${dice})`,
    checkpoint,
  };
}

/** `count` calibration images [1, H, W]: ACDC training slices spread over the list (zoomed to size), else phantoms. */
export async function calibrationImages(
  acdc: boolean,
  size: readonly [number, number],
  count: number,
  acdcRoot: string = ACDC_ROOT,
) {
  if (!acdc) {
    const s = synthSlices2d({ count, size, seed: 11 });
    const n = size[0] * size[1];
    return Array.from({ length: count }, (_, i) => s.images.slice(i * n, (i + 1) * n));
  }
  const train = await AcdcDataset.open(acdcRoot, { split: "train" });
  const out: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const s = await train.get(Math.floor(((i + 0.5) * train.length) / count));
    out.push(zoomNearest(s.image, s.shape, [...size]));
  }
  return out;
}
