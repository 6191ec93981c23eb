import { ArgumentError, ShapeError } from "../errors/bcp-error.ts";
import { cropOrPad } from "../preprocess/crop-or-pad.ts";
import { zoomNearest } from "../preprocess/zoom-nearest.ts";
import { checkData, sizeOf } from "../tensor/check.ts";
import type { NumArray } from "../tensor/types.ts";
import type { PreprocessInfo } from "./preprocess-info.ts";
import { stackLayout } from "./stack-layout.ts";

/**
 * Maps a predicted label map in model geometry ([N, H', W'] for 2D models — [W', H', N] slices-last — or
 * [X', Y', Z'] for 3D) back to the
 * image as given to preprocess, undoing the geometric steps in reverse: a resize by nearest zoom back (with
 * the step's scipyEdgeQuirk, as the ACDC test protocol), a crop/pad by the inverse crop/pad (fill 0).
 * Same typed-array kind; shape = info.originalShape.
 */
export function restoreLabels<T extends NumArray>(labels: T, info: PreprocessInfo): { data: T; shape: number[] } {
  const fn = "restoreLabels";
  if (!info || !Array.isArray(info.geometry) || !Array.isArray(info.spatialShape)) {
    throw new ArgumentError(fn, "info", "must be the info returned by preprocess");
  }
  const layout = stackLayout(info.task, info.slicesLast === true);
  let shape = layout.work(info.spatialShape, info.slices);
  checkData(fn, "labels", labels, shape);
  let data = labels;
  for (let i = info.geometry.length - 1; i >= 0; i--) {
    const g = info.geometry[i];
    if (layout.spatial(shape).join() !== g.to.join()) {
      throw new ShapeError(
        fn,
        "info",
        `geometry step ${i} ends at [${g.to.join(", ")}], labels are [${shape.join(", ")}]`,
      );
    }
    const to = layout.work(g.from, info.slices);
    // A step that kept the size (a resize to the same size, a centred crop/pad with nothing to do) is the identity.
    if (g.from.join() === g.to.join() && (g.op === "resize" || g.offsets.every((o) => o === 0))) continue;
    data =
      g.op === "resize"
        ? zoomNearest(data, shape, to, { scipyEdgeQuirk: g.scipyEdgeQuirk })
        : cropOrPad(data, shape, to, { offsets: layout.axes(g.offsets.map((o) => -o)) });
    shape = to;
  }
  if (sizeOf(shape) !== sizeOf(info.originalShape)) {
    throw new ShapeError(
      fn,
      "info",
      `restores [${shape.join(", ")}], not the original [${info.originalShape.join(", ")}]`,
    );
  }
  // A fresh buffer whenever there is a geometry step, identity or not, as the resampling functions give.
  if (data === labels && info.geometry.length > 0) data = labels.slice() as T;
  return { data, shape: [...info.originalShape] };
}
