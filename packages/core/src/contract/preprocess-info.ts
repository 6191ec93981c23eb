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
  /** The image shape as passed to preprocess: [H, W] or [S, H, W] (2D models), [X, Y, Z] (3D models). */
  readonly originalShape: number[];
  /** Number of slices fed to a 2D model (1 for a single slice); 1 for 3D models. */
  readonly slices: number;
  /** Spatial shape after preprocessing: [H', W'] per slice or [X', Y', Z']. */
  readonly spatialShape: number[];
  /** Geometric steps in the order they ran. */
  readonly geometry: GeometryStep[];
}
