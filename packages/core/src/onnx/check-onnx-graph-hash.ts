import { FormatError } from "../io/format-error.ts";
import { ONNX_METADATA_KEYS, ONNX_PRODUCER_NAME } from "./onnx-metadata-keys.ts";
import type { OnnxMetadata } from "./read-onnx-metadata.ts";
import { sha256Hex } from "./sha256.ts";

/** Outcome of {@link checkOnnxGraphHash}: the stated and the computed hash, or why there is nothing to compare. */
export type OnnxGraphHashCheck =
  | { readonly ok: true; readonly sha256: string }
  | { readonly ok: true; readonly sha256: undefined; readonly reason: "foreign model without bcpseg.sha256" }
  | {
      readonly ok: false;
      readonly expected: string | undefined;
      readonly actual: string | undefined;
      readonly reason: string;
    };

/**
 * Verifies `bcpseg.sha256` the way the exporter computes it: SHA-256 of the serialized GraphProto bytes as stored
 * (ModelProto field 7), so a changed weight, node or shape fails while metadata edits do not. A bcpseg export
 * (producer "bcpseg") without the entry fails (a cut-off file loses it: it is written last); a foreign model
 * without it passes with `sha256: undefined`.
 */
export function checkOnnxGraphHash(meta: OnnxMetadata): OnnxGraphHashCheck {
  const expected = meta.props.get(ONNX_METADATA_KEYS.sha256);
  if (expected === undefined) {
    if (meta.producerName === ONNX_PRODUCER_NAME) {
      return { ok: false, expected, actual: undefined, reason: `the ${ONNX_METADATA_KEYS.sha256} entry is missing` };
    }
    return { ok: true, sha256: undefined, reason: "foreign model without bcpseg.sha256" };
  }
  if (!meta.graph) return { ok: false, expected, actual: undefined, reason: "the model has no graph" };
  const actual = sha256Hex(meta.graph);
  if (actual !== expected.toLowerCase()) {
    return {
      ok: false,
      expected,
      actual,
      reason: `graph hash ${actual} does not match ${ONNX_METADATA_KEYS.sha256} ${expected}`,
    };
  }
  return { ok: true, sha256: actual };
}

/** {@link checkOnnxGraphHash} that throws FormatError ERR_FORMAT (details: expected, actual) on a mismatch. */
export function assertOnnxGraphHash(meta: OnnxMetadata, fn = "assertOnnxGraphHash"): string | undefined {
  const r = checkOnnxGraphHash(meta);
  if (!r.ok) throw new FormatError(fn, r.reason, { expected: r.expected, actual: r.actual });
  return r.sha256;
}
