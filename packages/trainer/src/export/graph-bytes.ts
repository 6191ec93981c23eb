import protobuf from "protobufjs";
import { ExportError } from "./export-error.ts";

const GRAPH_FIELD = 7;

/**
 * The serialized GraphProto inside serialized ModelProto `bytes` (the payload of field 7, byte for byte), found by
 * walking the top-level fields. Throws ExportError ERR_MODEL_CORRUPT if a field is truncated or malformed, or if there is not exactly one graph.
 */
export function graphBytes(bytes: Uint8Array): Uint8Array {
  const reader = protobuf.Reader.create(bytes);
  let found: Uint8Array | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw corrupt("field number 0");
    if (field === GRAPH_FIELD && wire === 2) {
      const len = reader.uint32();
      const start = reader.pos;
      if (start + len > reader.len) throw corrupt("graph field runs past the end");
      if (found) throw corrupt("more than one graph field");
      found = bytes.subarray(start, start + len);
      reader.skip(len);
    } else {
      reader.skipType(wire);
    }
  }
  if (!found) throw corrupt("no graph");
  return found;
}

const corrupt = (message: string) => new ExportError("ERR_MODEL_CORRUPT", "graphBytes", message);
