import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import {
  type DicomSeries,
  dicomSeriesNiftiHeader,
  encodeNifti,
  encodePng,
  type ModelContract,
  segToDicom,
} from "@bcpseg/core";
import { writeFileAtomic } from "../io/write-file-atomic.ts";
import type { Predictor } from "../model/predictor.ts";
import { seriesStem } from "./dicom-to-nifti.ts";
import { loadDicomSeries } from "./load-dicom-series.ts";

/** The label outputs `bcpseg predict --format` writes for a DICOM series. */
export const DICOM_FORMATS = ["nifti", "png", "dicom-seg"] as const;
export type DicomOutputFormat = (typeof DICOM_FORMATS)[number];

/**
 * A DICOM series and its labels: what every output format is written from. `series` carries the source
 * references (study, series, frame of reference, each slice's SOP class/instance and position) a DICOM SEG
 * writer needs; `labels` are in the series' [X, Y, Z] layout (core's segToDicom `layout: "xyz"`).
 */
export interface DicomPrediction {
  readonly series: DicomSeries;
  readonly labels: Uint8Array;
  readonly shape: readonly number[];
  readonly contract: ModelContract;
}

/** Reads one series' files, assembles the volume and labels it through the predictor (core's segmentImage). */
export async function predictDicomSeries(
  predictor: Predictor,
  files: readonly string[],
  options: { largestComponent?: boolean } = {},
): Promise<DicomPrediction> {
  const series = await loadDicomSeries(files);
  const seg = await predictor.segmentVolume(series, options);
  return { series, labels: seg.labels, shape: seg.shape, contract: predictor.contract };
}

// Label maps are long runs: no filter and fast deflate, as the edge API's label PNGs.
const LABEL_PNG = { filter: 0, level: 1 } as const;

/** How each --format writes a DICOM prediction into the output folder (atomically), returning the path written. */
export const DICOM_OUTPUTS: Readonly<
  Record<DicomOutputFormat, (p: DicomPrediction, outDir: string) => Promise<string>>
> = {
  // One gzipped NIfTI label volume with the series' geometry (the image `data convert` writes overlays it).
  async nifti(p, outDir) {
    const path = join(outDir, `${seriesStem(p.series)}_seg.nii.gz`);
    const header = dicomSeriesNiftiHeader(p.series);
    await writeFileAtomic(
      path,
      encodeNifti({ data: p.labels, shape: [...p.shape], dtype: "uint8", header, gzip: true }),
    );
    return path;
  },
  // A folder of label PNGs, one per slice in slice order (0001.png is slice 0, the first along the normal).
  async png(p, outDir) {
    const dir = join(outDir, `${seriesStem(p.series)}_seg`);
    await mkdir(dir, { recursive: true });
    const [X, Y, Z] = p.shape;
    const plane = new Uint8Array(X * Y);
    for (let z = 0; z < Z; z++) {
      for (let y = 0; y < Y; y++) for (let x = 0; x < X; x++) plane[y * X + x] = p.labels[(x * Y + y) * Z + z];
      const png = encodePng({ data: plane, width: X, height: Y, channels: 1, bitDepth: 8 }, LABEL_PNG);
      await writeFileAtomic(join(dir, `${String(z + 1).padStart(4, "0")}.png`), png);
    }
    return dir;
  },
  // One binary DICOM Segmentation instance referencing the series: a segment per class but background, with the
  // contract's class names and colours (core's segToDicom; labels in the series' [X, Y, Z] order).
  async "dicom-seg"(p, outDir) {
    const path = join(outDir, `${seriesStem(p.series)}.seg.dcm`);
    const seg = segToDicom({ labels: p.labels, shape: p.shape }, p.series, p.contract.classes, {
      layout: "xyz",
      modelName: p.contract.name,
    });
    await writeFileAtomic(path, seg.bytes);
    return path;
  },
};
