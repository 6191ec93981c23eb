import { join } from "node:path";
import { AcdcDataset } from "./acdc-dataset.ts";
import { isDataError } from "./data-error.ts";
import { findPairs } from "./find-pairs.ts";
import { pathKind } from "./fs-node.ts";
import { LA_SCANS_DIR, LaDataset } from "./la-dataset.ts";
import { NiftiFolderDataset } from "./nifti-folder-dataset.ts";
import { PngFolderDataset } from "./png-folder-dataset.ts";
import type { Dataset } from "./sample.ts";
import { labelValues } from "./to-arrays.ts";

/** Something wrong with one file (or the folder), as `bcpseg data inspect` lists it. */
export interface DataProblem {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
}

/** What one list or folder of samples holds. */
export interface SplitReport {
  readonly name: string;
  readonly samples: number;
  readonly patients: number;
  readonly rank: 2 | 3;
  /** Samples actually read (all, unless `limit` cut it short). */
  readonly read: number;
  /** Of those read, how many carry a label. */
  readonly labeled: number;
  /** Smallest and largest size per axis among the samples read. */
  readonly shapeMin: number[];
  readonly shapeMax: number[];
  /** Label values seen, ascending. */
  readonly labelValues: number[];
}

/** Report of {@link inspectDataset}. */
export interface DatasetReport {
  readonly root: string;
  readonly layout: "acdc-h5" | "la-h5" | "nifti" | "png" | "unknown";
  readonly splits: SplitReport[];
  readonly problems: DataProblem[];
}

/** Options of {@link inspectDataset}. */
export interface InspectOptions {
  /** Read at most this many samples per split (default: all). */
  readonly limit?: number;
}

/**
 * Detects the layout of a data folder (ACDC or LA HDF5 with split lists, NIfTI pairs, PNG images/masks),
 * reads its samples and reports counts, shape ranges, label values and every problem found, without throwing
 * for bad files.
 */
export async function inspectDataset(root: string, options: InspectOptions = {}): Promise<DatasetReport> {
  const problems: DataProblem[] = [];
  const note = (e: unknown) => {
    if (isDataError(e)) problems.push({ code: e.code, message: e.message, file: e.file });
    else
      problems.push({
        code: (e as { code?: string }).code ?? "ERR_UNKNOWN",
        message: String((e as Error).message ?? e),
      });
  };
  if ((await pathKind(root)) !== "dir") {
    return {
      root,
      layout: "unknown",
      splits: [],
      problems: [{ code: "ERR_DATA_MISSING", message: "no such folder", file: root }],
    };
  }
  const { layout, datasets } = await detect(root, note);
  const splits: SplitReport[] = [];
  for (const ds of datasets) splits.push(await inspectOne(ds, options.limit ?? Number.POSITIVE_INFINITY, note));
  if (layout === "unknown") {
    problems.push({
      code: "ERR_DATA_LAYOUT",
      message: "no ACDC/LA lists, NIfTI pairs or images/masks PNGs found",
      file: root,
    });
  }
  return { root, layout, splits, problems };
}

async function detect(
  root: string,
  note: (e: unknown) => void,
): Promise<{ layout: DatasetReport["layout"]; datasets: Dataset[] }> {
  const has = async (p: string) => (await pathKind(join(root, p))) !== undefined;
  const lists = async (names: readonly string[], open: (name: string) => Promise<Dataset>) => {
    const out: Dataset[] = [];
    for (const name of names) {
      if (!(await has(`${name}.list`)) && !(name === "train" && (await has("train_slices.list")))) continue;
      try {
        out.push(await open(name));
      } catch (e) {
        note(e);
      }
    }
    return out;
  };
  if ((await has("train_slices.list")) || (await has(join("data", "slices")))) {
    const datasets = await lists(["train", "val", "test"], (split) =>
      AcdcDataset.open(root, { split: split as "train", cacheSize: 0 }),
    );
    return { layout: "acdc-h5", datasets };
  }
  if (await has(LA_SCANS_DIR)) {
    const datasets = await lists(["train", "val", "test"], (split) =>
      LaDataset.open(root, { split: split as "train", cacheSize: 0 }),
    );
    return { layout: "la-h5", datasets };
  }
  const nifti = await findPairs(root, [".nii.gz", ".nii"]);
  if (nifti.pairs.length > 0) {
    return { layout: "nifti", datasets: [new NiftiFolderDataset(nifti.pairs, { layout: nifti.layout, cacheSize: 0 })] };
  }
  const png = await findPairs(root, [".png"]);
  if (png.layout === "images-masks" && png.pairs.length > 0) {
    return { layout: "png", datasets: [new PngFolderDataset(png.pairs, { cacheSize: 0 })] };
  }
  return { layout: "unknown", datasets: [] };
}

async function inspectOne(ds: Dataset, limit: number, note: (e: unknown) => void): Promise<SplitReport> {
  const count = Math.min(ds.ids.length, limit);
  let shapeMin: number[] = [];
  let shapeMax: number[] = [];
  const values = new Set<number>();
  let read = 0;
  let labeled = 0;
  for (let i = 0; i < count; i++) {
    try {
      const s = await ds.get(i);
      read++;
      if (read === 1) [shapeMin, shapeMax] = [[...s.shape], [...s.shape]];
      else if (s.shape.length === shapeMin.length) {
        shapeMin = shapeMin.map((d, k) => Math.min(d, s.shape[k]));
        shapeMax = shapeMax.map((d, k) => Math.max(d, s.shape[k]));
      } else {
        note({
          code: "ERR_DATA_SHAPE_MISMATCH",
          message: `${ds.ids[i]}: rank ${s.shape.length} differs from the others`,
        });
      }
      if (s.label !== undefined) {
        labeled++;
        for (const v of labelValues(s.label)) values.add(v);
      }
    } catch (e) {
      note(e);
    }
  }
  return {
    name: ds.name,
    samples: ds.ids.length,
    patients: new Set(ds.patients).size,
    rank: ds.rank,
    read,
    labeled,
    shapeMin,
    shapeMax,
    labelValues: [...values].sort((a, b) => a - b),
  };
}
