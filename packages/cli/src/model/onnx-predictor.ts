import { readFile } from "node:fs/promises";
import { decodeNifti, decodePng } from "@bcpseg/core";
import { inputError } from "../errors/cli-error.ts";
import type { InputKind } from "../io/list-inputs.ts";
import { readImage } from "../io/read-image.ts";
import { outputFormat, type Predictor } from "./predictor.ts";
import { loadEdge } from "./trainer-lib.ts";

/** An exported ONNX model run in-process by the edge API (the preprocessing and post-processing `serve` runs). */
export async function onnxPredictor(modelPath: string): Promise<Predictor> {
  const edge = await loadEdge();
  const bytes = await readFile(modelPath);
  const app = edge.createApp({
    model: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    logger: edge.silentLogger,
    page: false,
  });
  try {
    await app.ready;
  } catch (e) {
    await app.dispose();
    throw e;
  }
  return {
    async predict(input, { dataset, largestComponent }) {
      const body = await requestBody(input, dataset);
      const format = outputFormat(input.kind, body.shape);
      const query = new URLSearchParams({ format });
      if (largestComponent !== undefined) query.set("largestComponent", String(largestComponent));
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
      const decoded = format === "png" ? decodePng(answer) : decodeNifti(answer);
      const shape = "width" in decoded ? [decoded.height, decoded.width] : decoded.shape;
      return { format, bytes: answer, labels: Uint8Array.from(decoded.data), shape };
    },
    dispose: () => app.dispose(),
  };
}

// PNG and NIfTI go as they are (the edge API keeps a NIfTI's geometry); HDF5 arrays as raw float32.
async function requestBody(
  input: { path: string; kind: InputKind },
  dataset: string,
): Promise<{ bytes: Uint8Array; headers: Record<string, string>; shape: number[] }> {
  if (input.kind === "h5") {
    const { data, shape } = await readImage(input, dataset);
    return {
      bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      headers: { "content-type": "application/octet-stream", "x-shape": shape.join(","), "x-dtype": "float32" },
      shape,
    };
  }
  const bytes = new Uint8Array(await readFile(input.path));
  if (input.kind === "png") {
    const png = decodePng(bytes);
    return { bytes, headers: { "content-type": "image/png" }, shape: [png.height, png.width] };
  }
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return { bytes, headers: { "content-type": gz ? "application/gzip" : "application/x-nifti" }, shape: [] };
}
