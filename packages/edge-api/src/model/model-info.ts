import { type ModelContract, safeParseContract } from "@bcpseg/core";
import { ModelLoadError } from "./model-load-error.ts";
import { readOnnxMetadata } from "./onnx-metadata.ts";

/** Metadata keys written by the bcpseg exporter. */
export const METADATA = {
  contract: "bcpseg.contract",
  sha256: "bcpseg.sha256",
  precision: "bcpseg.precision",
  arch: "bcpseg.arch",
  metrics: "bcpseg.metrics",
} as const;

/** A model as read from its ONNX bytes, before any session exists. */
export interface ModelInfo {
  readonly id: string;
  readonly contract: ModelContract;
  /** `bcpseg.sha256` (hash of the graph) when present. */
  readonly sha256: string | undefined;
  readonly precision: string | undefined;
  readonly producer: { readonly name: string; readonly version: string };
  /** Other `bcpseg.*` metadata, JSON-parsed where it parses. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly bytes: number;
}

/**
 * Reads and validates a model's `bcpseg.contract` with core's schema; throws ModelLoadError ERR_MODEL_CONTRACT
 * (details: the contract issues) when it is missing or invalid, ERR_MODEL_FORMAT when the bytes are not ONNX.
 */
export function readModelInfo(bytes: Uint8Array, id?: string): ModelInfo {
  const fn = "readModelInfo";
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ModelLoadError("ERR_MODEL_FORMAT", `${fn}: model bytes must be a non-empty Uint8Array`);
  }
  const meta = readOnnxMetadata(bytes);
  const raw = meta.props.get(METADATA.contract);
  const label = id ? `model "${id}"` : "model";
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
    sha256: meta.props.get(METADATA.sha256),
    precision: meta.props.get(METADATA.precision),
    producer: { name: meta.producerName, version: meta.producerVersion },
    metadata,
    bytes: bytes.length,
  };
}
