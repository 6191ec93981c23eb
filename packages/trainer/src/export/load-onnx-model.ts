import {
  checkOnnxGraphHash,
  ONNX_METADATA_KEYS as METADATA_KEYS,
  type ModelContract,
  type OnnxMetadata,
  parseContract,
  readOnnxMetadata,
} from "@bcpseg/core";
import { ExportError } from "./export-error.ts";
import { decodeModel, type ModelProto } from "./onnx-proto.ts";

/** What {@link loadOnnxModel} reads back from a model file. */
export interface LoadedOnnxModel {
  readonly producerName: string;
  readonly producerVersion: string;
  readonly irVersion: number;
  readonly opset: number;
  /** Every metadata_props entry. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The validated contract, or undefined when the model carries none. */
  readonly contract: ModelContract | undefined;
  /** `bcpseg.sha256` (verified), or undefined for a foreign model without it. */
  readonly sha256: string | undefined;
  readonly inputs: readonly { name: string; dims: (number | string)[] }[];
  readonly outputs: readonly { name: string; dims: (number | string)[] }[];
}

const FN = "loadOnnxModel";

/**
 * Parses ONNX `bytes` and returns its metadata. Malformed or truncated protobuf, a missing graph, a bcpseg model
 * without its hash, or a hash that does not match the graph bytes throw ExportError ERR_MODEL_CORRUPT; an invalid
 * `bcpseg.contract` throws core's ContractError (ERR_CONTRACT).
 */
export async function loadOnnxModel(
  bytes: Uint8Array,
  options: { verifyHash?: boolean } = {},
): Promise<LoadedOnnxModel> {
  const corrupt = (message: string, cause?: unknown) => new ExportError("ERR_MODEL_CORRUPT", FN, message, { cause });
  if (!(bytes instanceof Uint8Array)) throw new ExportError("ERR_MODEL_ARGUMENT", FN, "bytes must be a Uint8Array");
  if (bytes.length === 0) throw corrupt("the model file is empty");
  let model: ModelProto;
  let meta: OnnxMetadata;
  try {
    meta = readOnnxMetadata(bytes);
    if (!meta.graph) throw new Error("no graph");
    model = decodeModel(bytes);
  } catch (e) {
    throw corrupt(`not a readable ONNX model (truncated or corrupt): ${(e as Error).message}`, e);
  }
  if (!model.graph || model.graph.node.length === 0) throw corrupt("the model has an empty graph");
  const metadata: Record<string, string> = {};
  for (const { key, value } of model.metadata_props) metadata[key] = value;
  const sha256 = metadata[METADATA_KEYS.sha256];
  // core's check, the one the edge API refuses models with: SHA-256 of the GraphProto bytes as stored.
  const hash = checkOnnxGraphHash(meta);
  if (!hash.ok && (sha256 === undefined || (options.verifyHash ?? true))) {
    throw corrupt(sha256 === undefined ? `${hash.reason} (file truncated?)` : hash.reason);
  }
  const json = metadata[METADATA_KEYS.contract];
  const contract = json === undefined ? undefined : parseContract(json);
  const dims = (v: ModelProto["graph"]["input"][number]) =>
    (v.type?.tensor_type?.shape?.dim ?? []).map((d) =>
      "dim_param" in d && d.dim_param ? d.dim_param : Number((d as { dim_value: number }).dim_value),
    );
  const opset = model.opset_import.find((o) => (o.domain ?? "") === "")?.version ?? 0;
  return {
    producerName: model.producer_name,
    producerVersion: model.producer_version,
    irVersion: Number(model.ir_version),
    opset: Number(opset),
    metadata,
    contract,
    sha256,
    inputs: model.graph.input.map((v) => ({ name: v.name, dims: dims(v) })),
    outputs: model.graph.output.map((v) => ({ name: v.name, dims: dims(v) })),
  };
}
