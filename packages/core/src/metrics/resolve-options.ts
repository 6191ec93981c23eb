import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import { checkData, checkShape } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";
import type { EmptyConvention, MetricOptions } from "./types.ts";

/** Validated metric options: spacing as one positive number per axis. */
export interface ResolvedOptions {
  readonly spacing: readonly number[];
  readonly emptyConvention: EmptyConvention;
}

/** Validates `spacing` (default all 1) for a shape of rank `rank`. */
export function resolveSpacing(fn: string, spacing: readonly number[] | undefined, rank: number): readonly number[] {
  if (spacing === undefined) return new Array<number>(rank).fill(1);
  if (!Array.isArray(spacing) || spacing.length !== rank) {
    throw new ShapeError(fn, "options.spacing", `must list ${rank} numbers, got ${JSON.stringify(spacing)}`);
  }
  for (const s of spacing) {
    if (typeof s !== "number" || !Number.isFinite(s) || s <= 0) {
      throw new ArgumentError(
        fn,
        "options.spacing",
        `must hold finite positive numbers, got ${JSON.stringify(spacing)}`,
      );
    }
  }
  return spacing;
}

/** Validates an empty-map convention (default "strict"). */
export function resolveConvention(fn: string, convention: EmptyConvention | undefined): EmptyConvention {
  if (convention === undefined) return "strict";
  if (convention !== "strict" && convention !== "official") {
    throw new ArgumentError(fn, "options.emptyConvention", `must be "strict" or "official", got ${String(convention)}`);
  }
  return convention;
}

/** Validates a (pred, gt, shape) pair of binary maps (any typed arrays) and the options. */
export function resolvePair(
  fn: string,
  pred: unknown,
  gt: unknown,
  shape: Shape,
  options: MetricOptions,
): ResolvedOptions {
  checkShape(fn, "shape", shape);
  checkData(fn, "pred", pred, shape);
  checkData(fn, "gt", gt, shape);
  if (options === null || typeof options !== "object") {
    throw new ArgumentError(fn, "options", `must be an object, got ${String(options)}`);
  }
  return {
    spacing: resolveSpacing(fn, options.spacing, shape.length),
    emptyConvention: resolveConvention(fn, options.emptyConvention),
  };
}
