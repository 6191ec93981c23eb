import { CORE_VERSION } from "../version.ts";
import type { ModelContract, ModelContractInput } from "./model-contract-schema.ts";
import { parseContract } from "./parse-contract.ts";

/** A class as the builders take it: a name, or a name with a colour (#rrggbb). Index = position. */
export type ClassSpec = string | { readonly name: string; readonly color?: string };

const ACDC_CLASSES: ClassSpec[] = ["background", "right ventricle", "myocardium", "left ventricle"];
const LA_CLASSES: ClassSpec[] = ["background", "left atrium"];

/**
 * The ACDC-style 2D contract: min-max over the image passed in, nearest resize of each slice to `size`
 * (official; `imageInterpolation: "bilinear"` for a linear image resize), per-slice inference, no LCC.
 */
export function defaultContract2d(
  options: {
    readonly name?: string;
    readonly classes?: readonly ClassSpec[];
    readonly size?: readonly [number, number];
    readonly imageInterpolation?: "nearest" | "bilinear";
    readonly scipyEdgeQuirk?: boolean;
    readonly largestComponent?: boolean;
  } = {},
): ModelContract {
  const size = [...(options.size ?? [256, 256])];
  const bilinear = options.imageInterpolation === "bilinear";
  return build(options.name ?? "bcp-acdc-unet2d", "2d", size, options.classes ?? ACDC_CLASSES, {
    preprocessing: [
      { op: "normalize", method: "minmax" },
      bilinear
        ? { op: "resize", mode: "bilinear", size }
        : { op: "resize", mode: "nearest", size, scipyEdgeQuirk: options.scipyEdgeQuirk ?? false },
    ],
    inference: { mode: "slice" },
    postprocessing: options.largestComponent
      ? { largestComponent: true, connectivity: 8 }
      : { largestComponent: false },
  });
}

/**
 * The LA-style 3D contract: z-score over the volume, sliding window with patch = `size` (112x112x80) and
 * stride [18, 18, 4], largest 26-connected component — the official test protocol.
 */
export function defaultContract3d(
  options: {
    readonly name?: string;
    readonly classes?: readonly ClassSpec[];
    readonly size?: readonly [number, number, number];
    readonly stride?: readonly [number, number, number];
    readonly largestComponent?: boolean;
  } = {},
): ModelContract {
  const size = [...(options.size ?? [112, 112, 80])];
  const lcc = options.largestComponent ?? true;
  return build(options.name ?? "bcp-la-vnet3d", "3d", size, options.classes ?? LA_CLASSES, {
    preprocessing: [{ op: "normalize", method: "zscore" }],
    inference: { mode: "sliding-window", patch: size, stride: [...(options.stride ?? [18, 18, 4])] },
    postprocessing: lcc ? { largestComponent: true, connectivity: 26 } : { largestComponent: false },
  });
}

function build(
  name: string,
  task: "2d" | "3d",
  size: number[],
  classes: readonly ClassSpec[],
  rest: Pick<ModelContractInput, "preprocessing" | "inference" | "postprocessing">,
): ModelContract {
  return parseContract({
    format: "bcpseg.model",
    contractVersion: 1,
    name,
    task,
    input: { layout: task === "2d" ? "NCHW" : "NCXYZ", size, channels: 1, dtype: "float32" },
    classes: classes.map((c, index) => (typeof c === "string" ? { index, name: c } : { index, ...c })),
    ...rest,
    producer: { name: "@bcpseg/core", version: CORE_VERSION },
  } satisfies ModelContractInput);
}
