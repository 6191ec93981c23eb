import { defaultContract2d, defaultContract3d, type ModelContract, parseContract } from "@bcpseg/core";

/**
 * The contract of an evaluation protocol, geometry only (evaluation data already carry the intensity steps):
 * "slices" — each slice zoomed (nearest, scipy grid) to `size` [h, w] and the labels zoomed back, as the
 * official ACDC test; "sliding" — `size` [X, Y, Z] windows at `stride`, as the official LA test.
 */
export function evalContract(options: {
  /** Class names only (default 2); segmentImage reads the class count off the network's output. */
  readonly classes?: number;
  readonly protocol: "slices" | "sliding";
  readonly size: readonly number[];
  readonly stride?: readonly number[];
  readonly scipyEdgeQuirk?: boolean;
  readonly largestComponent?: boolean;
}): ModelContract {
  const classes = Array.from({ length: options.classes ?? 2 }, (_, i) => (i === 0 ? "background" : `class ${i}`));
  if (options.protocol === "slices") {
    const [h, w] = options.size;
    const c = defaultContract2d({ classes, size: [h, w], scipyEdgeQuirk: options.scipyEdgeQuirk ?? false });
    return geometryOnly(c);
  }
  const [x, y, z] = options.size;
  const [sx, sy, sz] = options.stride ?? options.size.map((d) => Math.max(1, Math.floor(d / 2)));
  const c = defaultContract3d({
    classes,
    size: [x, y, z],
    stride: [sx, sy, sz],
    largestComponent: options.largestComponent ?? false,
  });
  return geometryOnly(c);
}

function geometryOnly(c: ModelContract): ModelContract {
  return parseContract({
    ...c,
    preprocessing: c.preprocessing.filter((s) => s.op === "resize" || s.op === "cropOrPad"),
  });
}
