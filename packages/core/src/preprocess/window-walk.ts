import type { SlidingWindowPlan } from "./sliding-window-plan.ts";

/** Calls `visit(start)` for every window of the plan, last axis fastest (the official loop order). */
export function forEachWindow(plan: SlidingWindowPlan, visit: (start: number[]) => void): void {
  const rank = plan.starts.length;
  const idx = new Array<number>(rank).fill(0);
  for (let w = 0; w < plan.count; w++) {
    visit(idx.map((k, axis) => plan.starts[axis][k]));
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++idx[axis] < plan.starts[axis].length) break;
      idx[axis] = 0;
    }
  }
}

/** Calls `row(offset, length)` for each last-axis row of the patch placed at `start` in the padded volume. */
export function forEachPatchRow(
  patch: readonly number[],
  strides: readonly number[],
  start: readonly number[],
  row: (offset: number, length: number, patchOffset: number) => void,
): void {
  const rank = patch.length;
  const last = patch[rank - 1];
  let p = 0;
  const walk = (axis: number, base: number): void => {
    if (axis === rank - 1) {
      row(base + start[axis] * strides[axis], last, p);
      p += last;
      return;
    }
    for (let i = 0; i < patch[axis]; i++) walk(axis + 1, base + (start[axis] + i) * strides[axis]);
  };
  walk(0, 0);
}
