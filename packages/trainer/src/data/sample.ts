/** One image with its optional label map, as a dataset returns it. */
export interface Sample {
  /** Intensities, row-major in `shape` ([H, W] slices, [X, Y, Z] or [S, H, W] volumes). */
  readonly image: Float32Array;
  /** Class per voxel in `shape`, or undefined for an unlabeled image. */
  readonly label: Uint8Array | undefined;
  readonly shape: number[];
  /** Voxel size per axis of `shape`, where the file records it. */
  readonly spacing?: number[];
  /** Name of the sample inside its dataset (slice or case name). */
  readonly id: string;
  /** Patient (subject) the sample belongs to; splits never divide a patient. */
  readonly patient: string;
}

/** A list of samples read on demand. */
export interface Dataset {
  /** Short description, e.g. "ACDC train slices". */
  readonly name: string;
  /** Sample ids in list order; index i of `get` is `ids[i]`. */
  readonly ids: readonly string[];
  /** Number of samples (`ids.length`). */
  readonly length: number;
  /** Patient of each sample, aligned with `ids`. */
  readonly patients: readonly string[];
  /** Spatial rank of a sample: 2 for slices, 3 for volumes. */
  readonly rank: 2 | 3;
  /** Number of classes labels may hold (values 0..classes-1), or undefined when not declared. */
  readonly classes: number | undefined;
  /** Reads sample `index` (cached); rejects with a DataError naming the file. */
  get(index: number): Promise<Sample>;
}
