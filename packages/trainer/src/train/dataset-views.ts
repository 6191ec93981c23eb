import { ArgumentError, normalizeIntensity } from "@bcpseg/core";
import type { Dataset } from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { contractForConfig } from "./contract-for-config.ts";

/** The samples `indices` of `dataset`, as a dataset. */
export function subset(dataset: Dataset, indices: readonly number[]): Dataset {
  return {
    name: dataset.name,
    ids: indices.map((i) => dataset.ids[i]),
    patients: indices.map((i) => dataset.patients[i]),
    length: indices.length,
    rank: dataset.rank,
    classes: dataset.classes,
    get: (i) => (i >= 0 && i < indices.length ? dataset.get(indices[i]) : Promise.reject(badIndex(i, indices.length))),
  };
}

/** The error for an index outside a dataset of `count` samples. */
export function badIndex(index: number, count: number): ArgumentError {
  return new ArgumentError("openTrainData", "index", `must be an integer in [0, ${count}), got ${index}`);
}

/** An intensity normalization of one image of `shape`. */
export type Intensity = (image: Float32Array, shape: number[]) => Float32Array;

/**
 * The intensity steps of the contract the trained model will carry (contractForConfig), through core's
 * normalizeIntensity — the same code the edge API runs before inference — so training, validation and serving
 * see the same intensities. ACDC and LA files are read as stored: ACDC volumes are stored min-max normalized,
 * which is exactly the contract's step on a served volume (checked on the real data in data/real-data.test.ts);
 * LA files hold crops of volumes z-scored before cropping (the official la_heart_processing), which is what
 * the 3-D contract does to a whole, uncropped scan.
 */
export function contractIntensity(config: TrainConfig): Intensity {
  const contract = contractForConfig(config);
  return (data, shape) => normalizeIntensity(contract, { data, shape });
}

/** `dataset` with `f` applied to every image as it is read. */
export function mapImages(dataset: Dataset, f: Intensity): Dataset {
  return {
    ...subset(
      dataset,
      dataset.ids.map((_, i) => i),
    ),
    get: async (i) => {
      const s = await dataset.get(i);
      return { ...s, image: f(s.image, s.shape) };
    },
  };
}
