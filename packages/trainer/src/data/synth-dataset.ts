import {
  ArgumentError,
  type SynthSlices2dOptions,
  type SynthVolumes3dOptions,
  synthSlices2d,
  synthVolumes3d,
} from "@bcpseg/core";
import type { Dataset, Sample } from "./sample.ts";

/** An in-memory dataset over [N, ...spatial] image and label stacks. */
abstract class StackDataset implements Dataset {
  abstract readonly name: string;
  abstract readonly rank: 2 | 3;
  abstract readonly classes: number;
  readonly ids: readonly string[];
  readonly patients: readonly string[];
  readonly #images: Float32Array;
  readonly #labels: Uint8Array;
  readonly #shape: number[];

  constructor(images: Float32Array, labels: Uint8Array, shape: readonly number[], ids: string[], patients: string[]) {
    this.#images = images;
    this.#labels = labels;
    this.#shape = shape.slice(1);
    this.ids = ids;
    this.patients = patients;
  }

  get length(): number {
    return this.ids.length;
  }

  get(index: number): Promise<Sample> {
    if (!Number.isInteger(index) || index < 0 || index >= this.ids.length) {
      return Promise.reject(
        new ArgumentError(`${this.name}.get`, "index", `must be in [0, ${this.ids.length}), got ${index}`),
      );
    }
    const n = this.#shape.reduce((a, b) => a * b, 1);
    return Promise.resolve({
      image: this.#images.slice(index * n, (index + 1) * n),
      label: this.#labels.slice(index * n, (index + 1) * n),
      shape: [...this.#shape],
      id: this.ids[index],
      patient: this.patients[index],
    });
  }
}

/** Synthetic ACDC-like slices from core's synthSlices2d: [H, W] images in [0, 1], labels 0..3, by patient. */
export class SynthDataset2d extends StackDataset {
  readonly name = "synthetic 2-D slices";
  readonly rank = 2 as const;
  readonly classes = 4;

  constructor(options: SynthSlices2dOptions = {}) {
    const s = synthSlices2d(options);
    const seen = new Map<string, number>();
    const ids = s.patientIds.map((p) => {
      const j = seen.get(p) ?? 0;
      seen.set(p, j + 1);
      return `${p}_slice_${j}`;
    });
    super(s.images, s.labels, s.shape, ids, s.patientIds);
  }
}

/** Synthetic LA-like volumes from core's synthVolumes3d: z-scored [X, Y, Z] images, binary labels. */
export class SynthDataset3d extends StackDataset {
  readonly name = "synthetic 3-D volumes";
  readonly rank = 3 as const;
  readonly classes = 2;

  constructor(options: SynthVolumes3dOptions = {}) {
    const s = synthVolumes3d(options);
    const ids = Array.from({ length: s.shape[0] }, (_, k) => `synthvol${String(k).padStart(4, "0")}`);
    super(s.images, s.labels, s.shape, ids, ids);
  }
}
