import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import type { Rng } from "../rng/create-rng.ts";
import { checkShape, sizeOf } from "../tensor/check.ts";
import type { Shape } from "../tensor/types.ts";

/** Which offsets a box may take along an axis of `size` voxels with a `patch`-voxel box. */
export type OffsetRange = "full" | "official";

/** Options of {@link boxMask}. Give either `rng` (offsets drawn) or `offsets` (offsets chosen). */
export interface BoxMaskOptions {
  /** Box side per axis as a fraction of the size: patch = floor(size * ratio). In (0, 1]; default 2/3 (paper β). */
  readonly ratio?: number;
  /** Generator for the offsets: one `randint` per axis, in axis order, like the official code. */
  readonly rng?: Rng;
  /** Chosen offsets (one per axis); validated against the range the rng would draw from. */
  readonly offsets?: readonly number[];
  /**
   * "full" (default): every position, randint(0, size - patch + 1), so the box can touch the far border and
   * size == patch gives offset 0. "official": randint(0, size - patch) as the official scripts call it — the
   * box never touches the far border and size == patch throws (numpy raises there too).
   */
  readonly offsetRange?: OffsetRange;
  /**
   * 3D only. Reproduces LA `context_mask`, which draws randint(0, [112, 112, 80][axis] - patch) whatever the real
   * size (always the official exclusive bound, `offsetRange` ignored); the box is clipped to the volume like numpy
   * slicing, so on small volumes it may fall partly or wholly outside. Identical to "official" at 112x112x80.
   */
  readonly legacy3dRange?: boolean;
}

/** A box mask: 1 = frame (first operand of a*M + b*(1-M)), 0 = pasted box (second operand). */
export interface BoxMask {
  /** Uint8Array, layout [H, W] or [X, Y, Z]. */
  readonly mask: Uint8Array;
  /** Box start per axis (may lie outside the volume only with `legacy3dRange`). */
  readonly offsets: number[];
  /** Box side per axis, floor(size * ratio). */
  readonly patch: number[];
  /** The mask's shape ([H, W] or [X, Y, Z]). */
  readonly shape: number[];
}

const FN = "boxMask";
/** The sizes LA `context_mask` hard-codes for its offset ranges (the LA training patch). */
const LEGACY_3D_SIZES = [112, 112, 80] as const;

/** One axis-aligned box mask over [H, W] or [X, Y, Z] (Uint8Array, 1 outside the box, 0 inside). */
export function boxMask(shape: Shape, options: BoxMaskOptions = {}): BoxMask {
  checkShape(FN, "shape", shape, [2, 3]);
  const { ratio = 2 / 3, rng, offsets, offsetRange = "full", legacy3dRange = false } = options;
  if (typeof ratio !== "number" || !(ratio > 0 && ratio <= 1)) {
    throw new ArgumentError(FN, "options.ratio", `must be a number in (0, 1], got ${String(ratio)}`);
  }
  if (offsetRange !== "full" && offsetRange !== "official") {
    throw new ArgumentError(FN, "options.offsetRange", `must be "full" or "official", got ${String(offsetRange)}`);
  }
  if (legacy3dRange && shape.length !== 3) {
    throw new ArgumentError(FN, "options.legacy3dRange", `applies to 3D shapes only, got [${shape.join(", ")}]`);
  }
  if ((rng === undefined) === (offsets === undefined)) {
    throw new ArgumentError(FN, "options", "needs exactly one of `rng` or `offsets`");
  }
  if (offsets !== undefined && (!Array.isArray(offsets) || offsets.length !== shape.length)) {
    throw new ShapeError(FN, "options.offsets", `must list ${shape.length} offsets, got ${JSON.stringify(offsets)}`);
  }

  const patch = shape.map((size) => Math.floor(size * ratio));
  patch.forEach((p, axis) => {
    if (p < 1) {
      throw new ArgumentError(FN, "options.ratio", `${ratio} gives an empty box on axis ${axis} (size ${shape[axis]})`);
    }
  });
  // Draw range per axis is [0, high): numpy randint bounds.
  const high = shape.map((size, axis) => {
    if (legacy3dRange) return LEGACY_3D_SIZES[axis] - patch[axis];
    return offsetRange === "full" ? size - patch[axis] + 1 : size - patch[axis];
  });
  high.forEach((h, axis) => {
    if (h < 1) {
      throw new ArgumentError(
        FN,
        "shape",
        `axis ${axis} (size ${shape[axis]}, patch ${patch[axis]}) leaves no offset: randint(0, ${h}) is empty ` +
          `with offsetRange "${legacy3dRange ? "official (legacy3dRange)" : offsetRange}"`,
      );
    }
  });

  const start =
    offsets === undefined
      ? high.map((h) => (rng as Rng).randint(0, h))
      : offsets.map((o, axis) => {
          if (!Number.isInteger(o) || o < 0 || o >= high[axis]) {
            throw new ArgumentError(
              FN,
              "options.offsets",
              `[${axis}] must be an integer in [0, ${high[axis] - 1}], got ${String(o)}`,
            );
          }
          return o;
        });

  const mask = new Uint8Array(sizeOf(shape)).fill(1);
  // Clip like numpy slicing (only matters with legacy3dRange, where the box may leave the volume).
  const lo = start.map((s, axis) => Math.min(s, shape[axis]));
  const hi = start.map((s, axis) => Math.min(s + patch[axis], shape[axis]));
  if (shape.length === 2) {
    const w = shape[1];
    for (let i = lo[0]; i < hi[0]; i++) mask.fill(0, i * w + lo[1], i * w + hi[1]);
  } else {
    const [, y, z] = shape;
    for (let i = lo[0]; i < hi[0]; i++) {
      for (let j = lo[1]; j < hi[1]; j++) mask.fill(0, (i * y + j) * z + lo[2], (i * y + j) * z + hi[2]);
    }
  }
  return { mask, offsets: start, patch, shape: [...shape] };
}
