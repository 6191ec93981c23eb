import { readFile } from "node:fs/promises";
import { decodeNifti, decodePng, type NiftiHeader, pngToGray } from "@bcpseg/core";
import { inputError } from "../errors/cli-error.ts";
import { loadTrainer } from "../model/trainer-lib.ts";
import type { InputKind } from "./list-inputs.ts";

/** An input file decoded to float32: PNG [H, W] gray (the edge API's reading), NIfTI [X, Y, Z], HDF5 as stored. */
export interface InputImage {
  readonly kind: InputKind;
  readonly data: Float32Array;
  readonly shape: number[];
  /** NIfTI inputs: the header a label volume keeps (geometry), and whether the file was gzipped. */
  readonly nifti?: { readonly header: NiftiHeader; readonly gzip: boolean };
}

/** Reads a PNG, NIfTI or HDF5 file (dataset `dataset` of the ACDC/LA layouts, default `image`). */
export async function readImage(input: { path: string; kind: InputKind }, dataset = "image"): Promise<InputImage> {
  if (input.kind === "h5") {
    const t = await loadTrainer();
    const a = (await t.readH5(input.path, [dataset]))[dataset];
    const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
    if (data.some((v) => !Number.isFinite(v))) {
      throw inputError(`${input.path}: ${dataset} holds NaN or infinite values`);
    }
    return { kind: "h5", data, shape: [...a.shape] };
  }
  const bytes = new Uint8Array(await readFile(input.path));
  if (input.kind === "png") {
    const png = decodePng(bytes);
    return { kind: "png", data: pngToGray(png), shape: [png.height, png.width] };
  }
  const nii = decodeNifti(bytes);
  return {
    kind: "nifti",
    data: nii.data,
    shape: nii.shape,
    nifti: { header: nii.header, gzip: bytes[0] === 0x1f && bytes[1] === 0x8b },
  };
}
