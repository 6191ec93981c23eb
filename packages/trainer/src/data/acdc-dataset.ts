import { join, resolve } from "node:path";
import { cachedLoader } from "./cached-loader.ts";
import { readList } from "./fs-node.ts";
import { readH5Sample } from "./h5-sample.ts";
import { patientOf } from "./patient-of.ts";
import type { Dataset, Sample } from "./sample.ts";

/** Options of {@link AcdcDataset.open}. */
export interface AcdcDatasetOptions {
  /** "train": 2-D slices of `train_slices.list`; "val" / "test": 3-D volumes of `val.list` / `test.list`. */
  readonly split?: "train" | "val" | "test";
  /** Another list file (relative to root or absolute) instead of the split's own. */
  readonly list?: string;
  /** Declared classes; labels outside 0..classes-1 are ERR_DATA_LABEL_VALUES (default 4). */
  readonly classes?: number;
  /** Samples kept in memory (default 64 slices / 8 volumes). */
  readonly cacheSize?: number;
}

/**
 * ACDC in the SSL4MIS/BCP HDF5 layout under `root`: training slices `data/slices/<name>.h5` (image float32
 * [H, W], label [H, W]) and volumes `data/<name>.h5` (image [S, H, W], label [S, H, W]). Read lazily.
 */
export class AcdcDataset implements Dataset {
  readonly name: string;
  readonly ids: readonly string[];
  readonly patients: readonly string[];
  readonly rank: 2 | 3;
  readonly classes: number;
  readonly root: string;
  readonly #load: (index: number) => Promise<Sample>;

  constructor(root: string, ids: readonly string[], options: Omit<AcdcDatasetOptions, "list"> = {}) {
    const split = options.split ?? "train";
    this.root = root;
    this.ids = [...ids];
    this.patients = this.ids.map(patientOf);
    this.rank = split === "train" ? 2 : 3;
    this.classes = options.classes ?? 4;
    this.name = `ACDC ${split} ${this.rank === 2 ? "slices" : "volumes"}`;
    const dir = this.rank === 2 ? join(root, "data", "slices") : join(root, "data");
    const meta = { rank: this.rank, classes: this.classes, withLabel: true };
    const read = (i: number) =>
      readH5Sample(join(dir, `${this.ids[i]}.h5`), { ...meta, id: this.ids[i], patient: this.patients[i] });
    this.#load = cachedLoader("AcdcDataset", this.ids.length, read, options.cacheSize ?? (this.rank === 2 ? 64 : 8));
  }

  /** Reads the split's list (`train_slices.list`, `val.list`, `test.list`) and returns the dataset. */
  static async open(root: string, options: AcdcDatasetOptions = {}): Promise<AcdcDataset> {
    const split = options.split ?? "train";
    const list = options.list ?? (split === "train" ? "train_slices.list" : `${split}.list`);
    const ids = await readList(resolve(root, list));
    return new AcdcDataset(root, ids, options);
  }

  get length(): number {
    return this.ids.length;
  }

  get(index: number): Promise<Sample> {
    return this.#load(index);
  }
}
