import { preprocessShape } from "@bcpseg/core";
import type { ResponseFormat } from "../codec/response-format.ts";
import { HttpError } from "../http/http-error.ts";
import type { ResolvedLimits } from "../options.ts";
import type { ModelInfo } from "./model-info.ts";

/** What one segmentation request will cost, computed from its declared shape and the model's contract alone. */
export interface RequestCost {
  /** Voxels of the image as sent. */
  readonly voxels: number;
  /** Bytes decoding allocates (inflated data + the float32 image). */
  readonly decodedBytes: number;
  /** Voxels the model runs on: slices x input size (2D), windows x patch (3D). */
  readonly modelVoxels: number;
  /** An upper bound on the answer's body in bytes. */
  readonly outputBytes: number;
}

/** The parts of the answer that size it. */
export interface AnswerShape {
  readonly format: ResponseFormat;
  readonly probabilities: boolean;
  readonly rle: boolean;
  /** dicom-seg: the largest SEG of the source series (core's dicomSegByteBound, from the headers). */
  readonly segBytes?: number;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Costs a request before any of its work: `shape` is the image as sent, `arranged` as the model takes it (a
 * NIfTI volume becomes [Z, Y, X] slices for a 2D model). Throws core's ShapeError (422) where preprocessing
 * would. Window counts are the sliding-window plan's (n = ceil((max(size, patch) - patch) / stride) + 1 per axis).
 */
export function requestCost(
  info: ModelInfo,
  shape: readonly number[],
  arranged: readonly number[],
  decodedBytes: number,
  answer: AnswerShape,
): RequestCost {
  const { contract } = info;
  const patch = contract.input.size;
  const geometry = preprocessShape(contract, arranged);
  let runs = geometry.slices;
  if (contract.task === "3d") {
    const stride = contract.inference.stride ?? patch;
    runs = geometry.spatialShape.reduce(
      (n, size, i) => n * (Math.ceil((Math.max(size, patch[i]) - patch[i]) / stride[i]) + 1),
      1,
    );
  }
  const voxels = count(shape);
  return {
    voxels,
    decodedBytes,
    modelVoxels: runs * count(patch),
    outputBytes: outputBound(answer, voxels, contract.classes.length, contract.task === "3d", arranged),
  };
}

/** Bytes the answer can take at most (stored deflate blocks for the PNGs; RLE of one-voxel runs). */
function outputBound(answer: AnswerShape, n: number, classes: number, is3d: boolean, arranged: readonly number[]) {
  const png = (h: number, w: number, channels: number) => {
    const raw = h * (1 + w * channels);
    return raw + 5 * Math.ceil(raw / 65535) + 1024;
  };
  switch (answer.format) {
    case "dicom-seg":
      return answer.segBytes ?? Number.POSITIVE_INFINITY;
    case "png":
      return png(arranged.at(-2) ?? 1, arranged.at(-1) ?? 1, 1);
    case "overlay":
      // One slice of the stack (2D) or of the volume along Z (3D: [Y, X] planes).
      return is3d ? png(arranged[1], arranged[0], 3) : png(arranged.at(-2) ?? 1, arranged.at(-1) ?? 1, 3);
    case "nifti":
      return 352 + n;
    case "nifti-gz":
      return 352 + n + 5 * Math.ceil(n / 16384) + 1024;
    case "json": {
      // A label change between neighbours starts a run in exactly two class masks: at most 2n runs of "1,".
      const rle = answer.rle ? 4 * n + 32 * classes : 0;
      const probs = answer.probabilities ? 4 * Math.ceil((classes * n * 4) / 3) : 0;
      return 1024 + 256 * classes + rle + probs;
    }
  }
}

/**
 * The most slices a volume may have for `modelVoxels` to allow it: the largest Z whose thinnest volume
 * [1, 1, Z] (as sent, NIfTI order) the model would run on within the limit — any volume of Z slices costs at
 * least that. DICOM headers are read under it, so a file declaring millions of frames is refused before its
 * per-frame geometry is built. A binary search over Z of the cost model itself.
 */
export function maxSlices(info: ModelInfo, modelVoxels: number, maxZ: number): number {
  const fits = (z: number) => {
    const shape = [1, 1, z];
    const arranged = info.contract.task === "2d" ? [z, 1, 1] : shape;
    try {
      return (
        requestCost(info, shape, arranged, 0, { format: "json", probabilities: false, rle: false }).modelVoxels <=
        modelVoxels
      );
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = Math.max(1, Math.floor(maxZ));
  if (fits(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

const LIMITS = [
  ["voxels", "ERR_TOO_MANY_VOXELS", "image of", "voxels"],
  ["decodedBytes", "ERR_DECODED_TOO_LARGE", "decoding needs", "bytes"],
  ["modelVoxels", "ERR_TOO_MUCH_WORK", "the model would run on", "voxels"],
  ["outputBytes", "ERR_OUTPUT_TOO_LARGE", "the answer could take", "bytes"],
] as const;

/** 413 with a JSON error naming the first limit `cost` exceeds: `limits.<name>`, its value and the request's. */
export function checkCost(cost: RequestCost, limits: ResolvedLimits): void {
  for (const [name, code, what, unit] of LIMITS) {
    const value = cost[name];
    const max = limits[name];
    if (value > max) {
      throw new HttpError(413, code, `${what} ${value} ${unit}, over limits.${name} = ${max}`, {
        details: { limit: name, max, value },
      });
    }
  }
}
