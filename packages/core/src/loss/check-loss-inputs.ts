import { BcpError, ShapeError } from "../errors/bcp-error.ts";
import { checkData, checkFloat, checkShape, sizeOf } from "../tensor/check.ts";
import type { FloatArray, NumArray, Shape } from "../tensor/types.ts";
import type { LossDims } from "./types.ts";

/**
 * Validates `[N, C, ...spatial]` logits (2D or 3D, C >= 2), an integer target `[N, ...spatial]` with values in
 * [0, C) and, when given, 0/1 masks `[N, ...spatial]`. Returns the sizes.
 */
export function checkLossInputs(
  fn: string,
  logits: FloatArray,
  shape: Shape,
  targets: readonly (readonly [string, unknown])[],
  masks: readonly (readonly [string, unknown])[] = [],
): LossDims {
  checkShape(fn, "shape", shape, [4, 5]);
  const c = shape[1];
  if (c < 2) throw new ShapeError(fn, "shape", `must have at least 2 channels (softmax over classes), got ${c}`);
  checkFloat(fn, "logits", logits, shape);
  const labelShape = [shape[0], ...shape.slice(2)];
  for (const [arg, t] of targets) checkLabels(fn, arg, t, labelShape, c);
  for (const [arg, m] of masks) if (m !== undefined) checkMask01(fn, arg, m, labelShape);
  return { n: shape[0], c, s: sizeOf(shape.slice(2)) };
}

function checkLabels(fn: string, arg: string, t: unknown, shape: Shape, c: number): asserts t is NumArray {
  checkData(fn, arg, t, shape);
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (!Number.isInteger(v) || v < 0 || v >= c) {
      throw new BcpError("ERR_RANGE", `${fn}: ${arg} must hold integers in [0, ${c}), got ${v} at index ${i}`, {
        fn,
        arg,
      });
    }
  }
}

function checkMask01(fn: string, arg: string, m: unknown, shape: Shape): asserts m is NumArray {
  checkData(fn, arg, m, shape);
  for (let i = 0; i < m.length; i++) {
    const v = m[i];
    if (v !== 0 && v !== 1) {
      throw new BcpError("ERR_RANGE", `${fn}: ${arg} must hold only 0 and 1, got ${v} at index ${i}`, { fn, arg });
    }
  }
}
