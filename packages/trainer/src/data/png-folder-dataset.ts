import { decodePng, pngToGray } from "@bcpseg/core";
import { cachedLoader } from "./cached-loader.ts";
import { DataError } from "./data-error.ts";
import { type FilePair, findPairs } from "./find-pairs.ts";
import { readBytes } from "./fs-node.ts";
import { patientOf } from "./patient-of.ts";
import type { Dataset, Sample } from "./sample.ts";
import { checkPairShape, toLabels } from "./to-arrays.ts";

/** Options of {@link PngFolderDataset.open}. */
export interface PngFolderDatasetOptions {
  /** Declared classes; mask values outside 0..classes-1 are ERR_DATA_LABEL_VALUES (default: any 0..255). */
  readonly classes?: number;
  /** Map every nonzero mask value to 1 (masks saved as 0/255). Default false: the value is the class. */
  readonly binarize?: boolean;
  /** Keep images without a mask, as unlabeled samples (default true). */
  readonly includeUnlabeled?: boolean;
  /** Patient of a sample id (default: `patientNNN` prefix, else the id). */
  readonly patientOf?: (id: string) => string;
  /** Images kept in memory (default 256). */
  readonly cacheSize?: number;
}

/**
 * 2-D PNG images `images/<id>.png` with masks `masks/<id>.png` (or `labels/`, or `<id>_mask.png`), 8 or
 * 16 bit. Images become gray [H, W] scaled to [0, 1] by bit depth (RGB as luma); masks hold the class
 * of each pixel in their first channel.
 */
export class PngFolderDataset implements Dataset {
  readonly name = "PNG folder";
  readonly ids: readonly string[];
  readonly patients: readonly string[];
  readonly rank = 2 as const;
  readonly classes: number | undefined;
  readonly files: readonly FilePair[];
  readonly #load: (index: number) => Promise<Sample>;

  constructor(files: readonly FilePair[], options: PngFolderDatasetOptions = {}) {
    this.files = [...files];
    this.ids = this.files.map((f) => f.id);
    this.patients = this.ids.map(options.patientOf ?? patientOf);
    this.classes = options.classes;
    const read = async (i: number): Promise<Sample> => {
      const pair = this.files[i];
      const png = await decodeFile(pair.image);
      const shape = [png.height, png.width];
      let label: Uint8Array | undefined;
      if (pair.label !== undefined) {
        const mask = await decodeFile(pair.label);
        checkPairShape(shape, [mask.height, mask.width], pair.label);
        if (mask.colorType === 3) {
          // decodePng expands palettes to colors, so the class indices are gone.
          throw new DataError("ERR_DATA_UNREADABLE", "palette masks are unsupported; save masks as grayscale", {
            file: pair.label,
          });
        }
        const first = new Uint16Array(mask.width * mask.height);
        for (let p = 0; p < first.length; p++) {
          const v = mask.data[p * mask.channels];
          first[p] = options.binarize ? (v !== 0 ? 1 : 0) : v;
        }
        label = toLabels(first, pair.label, this.classes);
      }
      return { image: pngToGray(png, { unit: true }), label, shape, id: pair.id, patient: this.patients[i] };
    };
    this.#load = cachedLoader("PngFolderDataset", this.files.length, read, options.cacheSize ?? 256);
  }

  /** Scans `root/images` and `root/masks` and returns the dataset, sorted by id. */
  static async open(root: string, options: PngFolderDatasetOptions = {}): Promise<PngFolderDataset> {
    const { layout, pairs } = await findPairs(root, [".png"]);
    if (layout !== "images-masks") {
      throw new DataError("ERR_DATA_LAYOUT", "expected images/*.png with masks/*.png", { file: root });
    }
    const kept = pairs.filter((p) => (options.includeUnlabeled ?? true) || p.label !== undefined);
    if (kept.length === 0) throw new DataError("ERR_DATA_MISSING", "no PNG images found in images/", { file: root });
    kept.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return new PngFolderDataset(kept, options);
  }

  get length(): number {
    return this.ids.length;
  }

  get(index: number): Promise<Sample> {
    return this.#load(index);
  }
}

async function decodeFile(path: string) {
  const bytes = await readBytes(path);
  try {
    return decodePng(bytes);
  } catch (e) {
    throw new DataError("ERR_DATA_UNREADABLE", `not a readable PNG file (${(e as Error).message})`, {
      file: path,
      cause: e,
    });
  }
}
