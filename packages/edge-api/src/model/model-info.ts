import {
  checkOnnxGraphHash,
  isBcpError,
  ONNX_METADATA_KEYS as METADATA,
  type ModelContract,
  type OnnxMetadata,
  readOnnxMetadata,
  safeParseContract,
} from "@bcpseg/core";
import { ModelLoadError } from "./model-load-error.ts";

/** A model as read from its ONNX bytes, before any session exists. */
export interface ModelInfo {
  readonly id: string;
  readonly contract: ModelContract;
  /** `bcpseg.sha256` (hash of the graph, verified at load) when present. */
  readonly sha256: string | undefined;
  readonly precision: string | undefined;
  readonly producer: { readonly name: string; readonly version: string };
  /** Other `bcpseg.*` metadata, JSON-parsed where it parses. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly bytes: number;
}

/**
 * Reads and validates a model's `bcpseg.contract` with core's schema; throws ModelLoadError ERR_MODEL_CONTRACT
 * (details: the contract issues) when it is missing or invalid, ERR_MODEL_FORMAT when the bytes are not ONNX,
 * ERR_MODEL_CORRUPT (details: expected, actual) when the graph does not hash to its `bcpseg.sha256` — a model
 * changed after export, or cut off, is never served under the hash the API shows its clients.
 */
export function readModelInfo(bytes: Uint8Array, id?: string): ModelInfo {
  const fn = "readModelInfo";
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ModelLoadError("ERR_MODEL_FORMAT", `${fn}: model bytes must be a non-empty Uint8Array`);
  }
  const label = id ? `model "${id}"` : "model";
  let meta: OnnxMetadata;
  try {
    meta = readOnnxMetadata(bytes);
  } catch (e) {
    if (!isBcpError(e)) throw e;
    throw new ModelLoadError("ERR_MODEL_FORMAT", `${fn}: ${label}: ${e.message}`, { cause: e });
  }
  const hash = checkOnnxGraphHash(meta);
  if (!hash.ok) {
    throw new ModelLoadError("ERR_MODEL_CORRUPT", `${fn}: ${label}: ${hash.reason}; export it again`, {
      details: { expected: hash.expected ?? null, actual: hash.actual ?? null },
    });
  }
  const raw = meta.props.get(METADATA.contract);
  if (raw === undefined) {
    throw new ModelLoadError(
      "ERR_MODEL_CONTRACT",
      `${fn}: ${label} has no "${METADATA.contract}" metadata; export it with @bcpseg/trainer's exportOnnx`,
    );
  }
  const parsed = safeParseContract(raw, fn);
  if (!parsed.success) {
    throw new ModelLoadError("ERR_MODEL_CONTRACT", `${fn}: ${label}: ${parsed.error.message}`, {
      details: parsed.error.details,
    });
  }
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of meta.props) {
    if (!k.startsWith("bcpseg.") || k === METADATA.contract) continue;
    try {
      metadata[k.slice(7)] = JSON.parse(v);
    } catch {
      metadata[k.slice(7)] = v;
    }
  }
  return {
    id: id ?? parsed.data.name,
    contract: parsed.data,
    sha256: hash.sha256,
    precision: meta.props.get(METADATA.precision),
    producer: { name: meta.producerName, version: meta.producerVersion },
    metadata,
    bytes: bytes.length,
  };
}
