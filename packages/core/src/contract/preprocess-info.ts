/** A geometric preprocessing step as applied, with the spatial shapes before (`from`) and after (`to`). */
export type GeometryStep =
  | { readonly op: "resize"; readonly from: number[]; readonly to: number[]; readonly scipyEdgeQuirk: boolean }
  | { readonly op: "cropOrPad"; readonly from: number[]; readonly to: number[]; readonly offsets: number[] };

/**
 * What {@link restoreLabels} needs to map a predicted label map back to the image as it came in — plain,
 * JSON-serialisable data (so a server can keep it between the model call and the answer).
 */
export interface PreprocessInfo {
  readonly task: "2d" | "3d";
  /** The image shape as passed to preprocess: [H, W], [S, H, W] or slices-last [X, Y, Z] (2D), [X, Y, Z] (3D). */
  readonly originalShape: number[];
  /** Number of slices fed to a 2D model (1 for a single slice); 1 for 3D models. */
  readonly slices: number;
  /** Spatial shape after preprocessing: [H', W'] per slice or [X', Y', Z']. */
  readonly spatialShape: number[];
  /** 2D models: the stack was a volume [X, Y, Z] whose slice z is the [Y, X] image (see stackLayout). */
  readonly slicesLast?: boolean;
  /** Geometric steps in the order they ran (sizes and offsets in model order: [H, W] or [X, Y, Z]). */
  readonly geometry: GeometryStep[];
}
