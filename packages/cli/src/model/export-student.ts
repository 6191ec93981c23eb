import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { cropOrPad, type ModelContract, preprocess } from "@bcpseg/core";
import type { TrainConfig } from "@bcpseg/trainer";
import { contractForConfig } from "@bcpseg/trainer";
import type { LoadedStudent } from "./load-student.ts";
import { loadTrainer } from "./trainer-lib.ts";

/** Export precisions the CLI offers (ONNX). */
export const PRECISIONS = ["fp32", "fp16", "int8-weights", "int8-static"] as const;
export type ExportPrecision = (typeof PRECISIONS)[number];

/** The file name an export gets in its run folder: `model-int8.onnx` for static int8 (the default), else by precision. */
export function modelFileName(precision: ExportPrecision): string {
  return `model-${precision === "int8-static" ? "int8" : precision}.onnx`;
}

/** Options of {@link exportStudent}. */
export interface ExportStudentOptions {
  readonly precision: ExportPrecision;
  /** int8-static: calibration images taken evenly from the training set (default 16) and the range method. */
  readonly calibrationImages?: number;
  readonly calibrationMethod?: "minmax" | "percentile";
  readonly percentile?: number;
  /** Add the `labels` (argmax) output. */
  readonly labels?: boolean;
}

/** ONNX bytes of a loaded student with its contract, training config, split and metrics as metadata. */
export async function exportStudent(
  student: LoadedStudent,
  options: ExportStudentOptions,
): Promise<{ bytes: Uint8Array; contract: ModelContract; calibrationImages: number }> {
  const t = await loadTrainer();
  const { arch, weights } = t.exportInputFromModel(student.model);
  const contract = contractForConfig(student.config);
  const report = await readReport(dirname(student.path));
  let calibration: { images: Float32Array[]; method?: "minmax" | "percentile"; percentile?: number } | undefined;
  if (options.precision === "int8-static") {
    const images = await calibrationImages(student.config, contract, options.calibrationImages ?? 16);
    calibration = { images, method: options.calibrationMethod, percentile: options.percentile };
  }
  const bytes = await t.exportOnnx(arch, weights, {
    contract,
    precision: options.precision,
    labels: options.labels,
    calibration,
    training: student.config,
    split: report?.split,
    metrics:
      report?.evaluation === undefined
        ? undefined
        : { perClass: report.evaluation.perClass, mean: report.evaluation.mean },
  });
  return { bytes, contract, calibrationImages: calibration?.images.length ?? 0 };
}

/** Preprocessed training images ([1, ...input.size] float32 each), evenly spaced over the training set. */
export async function calibrationImages(
  config: TrainConfig,
  contract: ModelContract,
  count: number,
): Promise<Float32Array[]> {
  const t = await loadTrainer();
  const data = await t.openTrainData(config);
  const n = data.train.ids.length;
  const take = Math.max(1, Math.min(count, n));
  const out: Float32Array[] = [];
  for (let i = 0; i < take; i++) {
    const s = await data.train.get(Math.floor((i * n) / take));
    const p = preprocess(contract, { data: s.image, shape: s.shape });
    if (contract.task === "2d") out.push(p.input);
    else {
      // 3D: the centre patch of the preprocessed volume (the exported model has a fixed patch-sized input).
      out.push(cropOrPad(p.input, p.info.spatialShape, contract.input.size) as Float32Array);
    }
  }
  return out;
}

interface ReportJson {
  split?: unknown;
  evaluation?: { perClass: unknown; mean: unknown };
}

async function readReport(dir: string): Promise<ReportJson | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as ReportJson;
  } catch {
    return undefined;
  }
}
