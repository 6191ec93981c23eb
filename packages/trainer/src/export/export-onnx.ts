import {
  CORE_VERSION,
  ONNX_METADATA_KEYS as METADATA_KEYS,
  type ModelContractInput,
  ONNX_PRODUCER_NAME as PRODUCER_NAME,
  parseContract,
  sha256Hex,
} from "@bcpseg/core";
import { type ArchSpec, archRank, type TorchWeights } from "./arch-spec.ts";
import { type CalibrationOptions, calibrate, DEFAULT_CALIBRATION } from "./calibrate.ts";
import { emitGraph, type Precision } from "./emit-onnx.ts";
import { ExportError } from "./export-error.ts";
import { netGraph } from "./net-graph.ts";
import { encodeGraph, encodeModel } from "./onnx-proto.ts";

/** ONNX opset of every export (ORT's QDQ fusions and per-axis DequantizeLinear need ≥ 13). */
export const OPSET = 17;
/** IR version that goes with opset 17. */
export const IR_VERSION = 8;

export interface ExportOnnxOptions {
  /** The model contract (validated with core's parseContract; its input.size fixes the spatial dims). */
  readonly contract: ModelContractInput;
  /** Default "fp32". */
  readonly precision?: Precision;
  /** Also output `labels` = ArgMax over classes (int64). */
  readonly labels?: boolean;
  /** Spatial input dims; default the contract's input.size; null = symbolic (any size divisible by 16). */
  readonly spatial?: readonly number[] | null;
  /** int8-static: calibration images ([C, ...spatial] float32 each, already preprocessed) and the method. */
  readonly calibration?: CalibrationOptions & { readonly images: readonly Float32Array[] };
  /** int8-static: quantise the logits as well (default true). */
  readonly quantizeLogits?: boolean;
  /** JSON-serialisable extras written as metadata. */
  readonly training?: unknown;
  readonly split?: unknown;
  readonly metrics?: unknown;
  /** BatchNorm epsilon (PyTorch default 1e-5). */
  readonly bnEps?: number;
  readonly producerVersion?: string;
}

/**
 * Exports a U-Net / V-Net as ONNX bytes: input `input` float32 [N, C, ...spatial] (NCHW / NCXYZ), output `probs`
 * (softmax over classes) and optionally `labels`; BatchNorm folded; metadata per {@link METADATA_KEYS}.
 */
export async function exportOnnx(
  arch: ArchSpec,
  weights: TorchWeights,
  options: ExportOnnxOptions,
): Promise<Uint8Array> {
  const fn = "exportOnnx";
  const contract = parseContract(options.contract);
  const precision = options.precision ?? "fp32";
  if (!["fp32", "fp16", "int8-weights", "int8-static"].includes(precision)) {
    throw new ExportError("ERR_MODEL_ARGUMENT", fn, `options.precision "${precision}" is not supported`);
  }
  const rank = archRank(arch);
  if (contract.input.size.length !== rank) {
    throw new ExportError(
      "ERR_MODEL_ARGUMENT",
      fn,
      `contract input.size has ${contract.input.size.length} dims, ${arch.kind} needs ${rank}`,
    );
  }
  const spatial = options.spatial === null ? undefined : (options.spatial ?? contract.input.size);
  const net = netGraph(arch, weights, { bnEps: options.bnEps });
  let ranges: Awaited<ReturnType<typeof calibrate>> | undefined;
  let quantization: unknown;
  if (precision === "int8-static") {
    const cal = options.calibration;
    if (!cal) throw new ExportError("ERR_MODEL_ARGUMENT", fn, "int8-static needs options.calibration.images");
    const shape = [arch.inChannels, ...(spatial ?? contract.input.size)];
    ranges = await calibrate(net, cal.images, shape, cal);
    quantization = {
      format: "QDQ",
      activations: "uint8 asymmetric per-tensor",
      weights: "int8 symmetric per-channel",
      method: cal.method ?? DEFAULT_CALIBRATION.method,
      ...((cal.method ?? DEFAULT_CALIBRATION.method) === "percentile"
        ? { percentile: cal.percentile ?? DEFAULT_CALIBRATION.percentile }
        : {}),
      images: cal.images.length,
    };
  } else if (precision === "int8-weights") {
    quantization = { format: "weights-only", weights: "int8 symmetric per-channel" };
  } else if (precision === "fp16") {
    quantization = { format: "weights-only", weights: "float16" };
  }
  const graph = emitGraph(net, {
    precision,
    ranges,
    spatial,
    labels: options.labels,
    quantizeLogits: options.quantizeLogits,
  });
  const sha256 = sha256Hex(encodeGraph(graph));
  const entries: [string, unknown][] = [
    [METADATA_KEYS.contract, contract],
    [
      METADATA_KEYS.arch,
      { kind: arch.kind, inChannels: arch.inChannels, numClasses: arch.numClasses, width: arch.width },
    ],
    [METADATA_KEYS.precision, precision],
    [METADATA_KEYS.quantization, quantization],
    [METADATA_KEYS.training, options.training],
    [METADATA_KEYS.split, options.split],
    [METADATA_KEYS.metrics, options.metrics],
  ];
  const metadata_props = entries
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => ({ key, value: typeof v === "string" ? v : JSON.stringify(v) }));
  metadata_props.push({ key: METADATA_KEYS.sha256, value: sha256 }); // last: a cut-off file loses it
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ domain: "", version: OPSET }],
    producer_name: PRODUCER_NAME,
    producer_version: options.producerVersion ?? CORE_VERSION,
    graph,
    metadata_props,
  });
}
