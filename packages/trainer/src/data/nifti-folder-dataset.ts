import { decodeNifti } from "@bcpseg/core";
import { cachedLoader } from "./cached-loader.ts";
import { DataError } from "./data-error.ts";
import { type FilePair, findPairs } from "./find-pairs.ts";
import { readBytes } from "./fs-node.ts";
import { patientOf } from "./patient-of.ts";
import type { Dataset, Sample } from "./sample.ts";
import { checkPairShape, toLabels } from "./to-arrays.ts";

/** Options of {@link NiftiFolderDataset.open}. */
export interface NiftiFolderDatasetOptions {
  /** Declared classes; labels outside 0..classes-1 are ERR_DATA_LABEL_VALUES (default: any 0..255). */
  readonly classes?: number;
  /** Keep images that have no label file, as unlabeled samples (default false: pairs only). */
  readonly includeUnlabeled?: boolean;
  /** Spatial rank every volume must have (default 3). */
  readonly rank?: 2 | 3;
  /** Patient of a sample id (default: `patientNNN` prefix, else the id). */
  readonly patientOf?: (id: string) => string;
  /** Volumes kept in memory (default 8). */
  readonly cacheSize?: number;
}

/**
 * NIfTI-1 volumes (.nii or .nii.gz) in a folder, in any layout {@link findPairs} accepts: Decathlon /
 * nnU-Net `imagesTr` + `labelsTr`, `images` + `masks`, or `<id>.nii.gz` beside `<id>_gt.nii.gz` (raw ACDC).
 * Samples are [X, Y, Z] with the file's voxel spacing; 4-D files give their first volume.
 */
export class NiftiFolderDataset implements Dataset {
  readonly name: string;
  readonly ids: readonly string[];
  readonly patients: readonly string[];
  readonly rank: 2 | 3;
  readonly classes: number | undefined;
  readonly layout: string;
  readonly files: readonly FilePair[];
  readonly #load: (index: number) => Promise<Sample>;

  constructor(files: readonly FilePair[], options: NiftiFolderDatasetOptions & { layout?: string } = {}) {
    this.files = [...files];
    this.ids = this.files.map((f) => f.id);
    this.patients = this.ids.map(options.patientOf ?? patientOf);
    this.rank = options.rank ?? 3;
    this.classes = options.classes;
    this.layout = options.layout ?? "pairs";
    this.name = `NIfTI folder (${this.layout})`;
    const read = async (i: number): Promise<Sample> => {
      const pair = this.files[i];
      const image = await decodeFile(pair.image, this.rank);
      let label: Uint8Array | undefined;
      if (pair.label !== undefined) {
        const lab = await decodeFile(pair.label, this.rank);
        checkPairShape(image.shape, lab.shape, pair.label);
        label = toLabels(lab.data, pair.label, this.classes);
      }
      return {
        image: image.data,
        label,
        shape: image.shape,
        spacing: image.spacing,
        id: pair.id,
        patient: this.patients[i],
      };
    };
    this.#load = cachedLoader("NiftiFolderDataset", this.files.length, read, options.cacheSize ?? 8);
  }

  /** Scans `root` for image/label pairs (see {@link findPairs}) and returns the dataset, sorted by id. */
  static async open(root: string, options: NiftiFolderDatasetOptions = {}): Promise<NiftiFolderDataset> {
    const { layout, pairs } = await findPairs(root, [".nii.gz", ".nii"]);
    const kept = pairs.filter((p) => options.includeUnlabeled || p.label !== undefined);
    if (kept.length === 0) throw new DataError("ERR_DATA_MISSING", "no NIfTI image/label pairs found", { file: root });
    kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return new NiftiFolderDataset(kept, { ...options, layout });
  }

  get length(): number {
    return this.ids.length;
  }

  get(index: number): Promise<Sample> {
    return this.#load(index);
  }
}

async function decodeFile(path: string, rank: number) {
  let v: Awaited<ReturnType<typeof decodeNifti>>;
  try {
    v = decodeNifti(await readBytes(path));
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError("ERR_DATA_UNREADABLE", `not a readable NIfTI-1 file (${(e as Error).message})`, {
      file: path,
      cause: e,
    });
  }
  // A 2-D image stored with a trailing singleton axis still counts as 2-D, and the reverse.
  let { shape, spacing } = v;
  if (rank === 2 && shape.length === 3 && shape[2] === 1) [shape, spacing] = [shape.slice(0, 2), spacing.slice(0, 2)];
  if (rank === 3 && shape.length === 2)
    [shape, spacing] = [
      [...shape, 1],
      [...spacing, 1],
    ];
  if (shape.length !== rank) {
    throw new DataError(
      "ERR_DATA_SHAPE_MISMATCH",
      `volume has rank ${shape.length} ([${shape.join(", ")}]), expected ${rank}`,
      {
        file: path,
      },
    );
  }
  return { data: v.data, shape, spacing };
}
