/**
 * Where a model's spatial axes sit in the array preprocessing works on, in the image's own axis order:
 * 3D models [X, Y, Z]; 2D models a stack [S, H, W], or — `slicesLast` — a volume [X, Y, Z] as NIfTI stores it,
 * whose slice z is the [Y, X] image (H = Y, W = X: the SimpleITK array order the 2D data were made with).
 * Every geometric step acts on each axis alone (separable), so it runs on either order with the same result.
 */
export interface StackLayout {
  /** The working shape for spatial sizes in model order ([H, W] or [X, Y, Z]) and `slices` slices. */
  work(spatial: readonly number[], slices: number): number[];
  /** The spatial sizes in model order of a working shape. */
  spatial(shape: readonly number[]): number[];
  /** The slice count of a working shape (1 for 3D models). */
  slices(shape: readonly number[]): number;
  /** Per-axis values given in model order (crop offsets), in working order with 0 on the slice axis. */
  axes(values: readonly number[]): number[];
}

/** The {@link StackLayout} of a task; `slicesLast` applies to 2D models only. */
export function stackLayout(task: "2d" | "3d", slicesLast = false): StackLayout {
  if (task === "3d") {
    return { work: (s) => [...s], spatial: (s) => [...s], slices: () => 1, axes: (v) => [...v] };
  }
  if (slicesLast) {
    return {
      work: ([h, w], n) => [w, h, n],
      spatial: (s) => [s[1], s[0]],
      slices: (s) => s[2],
      axes: ([h, w]) => [w, h, 0],
    };
  }
  return {
    work: (sp, n) => [n, ...sp],
    spatial: (s) => s.slice(1),
    slices: (s) => s[0],
    axes: (v) => [0, ...v],
  };
}
