import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { decodeNifti, decodePng } from "@bcpseg/core";
import type { CommandSpec } from "../cli/command.ts";
import { str } from "../cli/parse-flags.ts";
import { inputError, usageError } from "../errors/cli-error.ts";
import { listInputs, stemOf } from "../io/list-inputs.ts";
import { loadEdge, loadTrainer } from "../model/trainer-lib.ts";

export const predictCommand: CommandSpec = {
  name: "predict",
  summary: "segment PNG, NIfTI or HDF5 images (files or folders) into label maps with an ONNX model",
  usage: "--model <model.onnx> <inputs...> [options]",
  description:
    "Runs the edge API in-process (same preprocessing and post-processing as `serve`). PNG in → label PNG out;\n" +
    "NIfTI in → NIfTI label volume with the input's geometry; HDF5 (dataset `image`) → PNG for 2D, NIfTI for 3D.",
  options: {
    model: { type: "string", short: "m", placeholder: "file", description: "Exported .onnx model (required)" },
    out: { type: "string", short: "o", placeholder: "dir", description: "Output folder", defaultText: "predictions" },
    "largest-component": { type: "boolean", description: "Keep the largest connected component per class" },
    "no-largest-component": { type: "boolean", description: "Never post-process (default: the model contract)" },
    dataset: { type: "string", placeholder: "name", description: "HDF5 dataset to read", defaultText: "image" },
  },
  examples: [
    "bcpseg predict -m model.onnx scans/ -o labels/",
    "bcpseg predict -m model.onnx case01.nii.gz --largest-component",
  ],
  async run({ values, positionals, io, json }) {
    const modelPath = str(values, "model");
    if (!modelPath) throw usageError("predict: --model <file.onnx> is required");
    if (positionals.length === 0) throw usageError("predict: give at least one image file or folder");
    if (values["largest-component"] === true && values["no-largest-component"] === true) {
      throw usageError("predict: --largest-component and --no-largest-component exclude each other");
    }
    const inputs = await listInputs(positionals.map((p) => resolve(io.cwd, p)));
    const outDir = resolve(io.cwd, str(values, "out") ?? "predictions");
    await mkdir(outDir, { recursive: true });
    const edge = await loadEdge();
    const bytes = await readFile(resolve(io.cwd, modelPath));
    const app = edge.createApp({
      model: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      logger: edge.silentLogger,
      page: false,
    });
    const lcc =
      values["largest-component"] === true ? "true" : values["no-largest-component"] === true ? "false" : undefined;
    const results: Array<{ input: string; output: string; shape: number[]; counts: number[] }> = [];
    try {
      await app.ready;
      for (const [i, input] of inputs.entries()) {
        const body = await requestBody(input, str(values, "dataset") ?? "image");
        const format =
          body.shape.length === 2 || (body.shape.length === 3 && body.shape[0] === 1 && input.kind !== "nifti")
            ? "png"
            : "nifti-gz";
        const query = new URLSearchParams({ format, ...(lcc ? { largestComponent: lcc } : {}) });
        const res = await app.request(`/v1/segment?${query}`, {
          method: "POST",
          headers: body.headers,
          body: body.bytes as Uint8Array<ArrayBuffer>,
        });
        if (!res.ok) {
          const err = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
          const message = `${input.path}: ${err.error?.message ?? res.statusText} [${err.error?.code ?? res.status}]`;
          if (res.status >= 500) throw new Error(message);
          throw inputError(message);
        }
        const answer = new Uint8Array(await res.arrayBuffer());
        const output = join(outDir, `${stemOf(input.path)}_seg.${format === "png" ? "png" : "nii.gz"}`);
        await writeFile(output, answer);
        const labels = format === "png" ? (await decodePng(answer)).data : (await decodeNifti(answer)).data;
        const counts: number[] = [];
        for (const v of labels) counts[v] = (counts[v] ?? 0) + 1;
        results.push({ input: input.path, output, shape: body.shape, counts: Array.from(counts, (c) => c ?? 0) });
        if (!json) io.stdout.write(`${output}\n`);
        else io.stderr.write(`[${i + 1}/${inputs.length}] ${output}\n`);
      }
    } finally {
      await app.dispose();
    }
    return { model: resolve(io.cwd, modelPath), outputs: results };
  },
};

async function requestBody(
  input: { path: string; kind: "png" | "nifti" | "h5" },
  dataset: string,
): Promise<{ bytes: Uint8Array; headers: Record<string, string>; shape: number[] }> {
  if (input.kind === "h5") {
    const t = await loadTrainer();
    const arrays = await t.readH5(input.path, [dataset]);
    const a = arrays[dataset];
    const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
    if (data.some((v) => !Number.isFinite(v)))
      throw inputError(`${input.path}: ${dataset} holds NaN or infinite values`);
    return {
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      headers: { "content-type": "application/octet-stream", "x-shape": a.shape.join(","), "x-dtype": "float32" },
      shape: a.shape,
    };
  }
  const bytes = new Uint8Array(await readFile(input.path));
  if (input.kind === "png") {
    const png = await decodePng(bytes);
    return { bytes, headers: { "content-type": "image/png" }, shape: [png.height, png.width] };
  }
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return { bytes, headers: { "content-type": gz ? "application/gzip" : "application/x-nifti" }, shape: [0, 0, 0] };
}
