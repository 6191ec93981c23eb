import { ArgumentError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { NumArray, Shape } from "../tensor/types.ts";
import { gather } from "./nd.ts";

/** Options of {@link cropOrPad}. */
export interface CropOrPadOptions {
  /**
   * Per axis, the input index that lands at output index 0 (negative = that many fill values before the
   * data). Default: centred — crop start floor((in - out) / 2), pad before floor((out - in) / 2) (the
   * sliding-window rule left = pad // 2).
   */
  readonly offsets?: readonly number[];
  /** Value outside the input; default 0. */
  readonly fill?: number;
}

/** Centred offsets of {@link cropOrPad} for one shape pair (input index at output 0, per axis). */
export function centredOffsets(shape: Shape, outShape: Shape): number[] {
  return shape.map((n, i) =>
    n >= outShape[i] ? Math.floor((n - outShape[i]) / 2) : -Math.floor((outShape[i] - n) / 2),
  );
}

/** Crops and/or pads [H, W] or [X, Y, Z] (any rank) to `outShape`; same typed-array kind as `data`. */
export function cropOrPad<T extends NumArray>(
  data: T,
  shape: Shape,
  outShape: Shape,
  options: CropOrPadOptions = {},
): T {
  const fn = "cropOrPad";
  checkShape(fn, "shape", shape);
  checkData(fn, "data", data, shape);
  checkShape(fn, "outShape", outShape, [shape.length]);
  const offsets = options.offsets ?? centredOffsets(shape, outShape);
  if (!Array.isArray(offsets) || offsets.length !== shape.length || offsets.some((o) => !Number.isInteger(o))) {
    throw new ArgumentError(fn, "options.offsets", `must be ${shape.length} integers, got ${JSON.stringify(offsets)}`);
  }
  const fill = options.fill ?? 0;
  if (typeof fill !== "number" || Number.isNaN(fill)) {
    throw new ArgumentError(fn, "options.fill", `must be a number, got ${String(fill)}`);
  }
  const maps = shape.map((n, axis) => {
    const m = new Int32Array(outShape[axis]);
    for (let o = 0; o < m.length; o++) {
      const s = o + offsets[axis];
      m[o] = s >= 0 && s < n ? s : -1;
    }
    return m;
  });
  return gather(data, shape, maps, fill);
}
