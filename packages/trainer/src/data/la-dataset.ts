import { join, resolve } from "node:path";
import { cachedLoader } from "./cached-loader.ts";
import { readList } from "./fs-node.ts";
import { readH5Sample } from "./h5-sample.ts";
import type { Dataset, Sample } from "./sample.ts";

/** Options of {@link LaDataset.open}. */
export interface LaDatasetOptions {
  /** Which list to read: `train.list`, `val.list` or `test.list` (default "train"). */
  readonly split?: "train" | "val" | "test";
  /** Another list file (relative to root or absolute) instead of the split's own. */
  readonly list?: string;
  /** Declared classes (default 2: background and atrium). */
  readonly classes?: number;
  /** Volumes kept in memory (default 8). */
  readonly cacheSize?: number;
}

/** Folder of the LA scans inside the root, as UA-MT and BCP name it. */
export const LA_SCANS_DIR = "2018LA_Seg_Training Set";

/**
 * LA (2018 Atrial Segmentation Challenge) in the UA-MT HDF5 layout: `<root>/2018LA_Seg_Training Set/<id>/
 * mri_norm2.h5` with image float32 [X, Y, Z] and label [X, Y, Z] in {0, 1}. One volume per patient.
 */
export class LaDataset implements Dataset {
  readonly name: string;
  readonly ids: readonly string[];
  readonly patients: readonly string[];
  readonly rank = 3 as const;
  readonly classes: number;
  readonly root: string;
  readonly #load: (index: number) => Promise<Sample>;

  constructor(root: string, ids: readonly string[], options: Omit<LaDatasetOptions, "list"> = {}) {
    this.root = root;
    this.ids = [...ids];
    this.patients = this.ids;
    this.classes = options.classes ?? 2;
    this.name = `LA ${options.split ?? "train"} volumes`;
    const meta = { rank: 3, classes: this.classes, withLabel: true };
    const read = (i: number) =>
      readH5Sample(join(root, LA_SCANS_DIR, this.ids[i], "mri_norm2.h5"), {
        ...meta,
        id: this.ids[i],
        patient: this.ids[i],
      });
    this.#load = cachedLoader("LaDataset", this.ids.length, read, options.cacheSize ?? 8);
  }

  /** Reads `<split>.list` under root and returns the dataset. */
  static async open(root: string, options: LaDatasetOptions = {}): Promise<LaDataset> {
    const ids = await readList(resolve(root, options.list ?? `${options.split ?? "train"}.list`));
    return new LaDataset(root, ids, options);
  }

  get length(): number {
    return this.ids.length;
  }

  get(index: number): Promise<Sample> {
    return this.#load(index);
  }
}
