import { FormatError } from "../io/format-error.ts";

/** What {@link readOnnxMetadata} reads from ONNX ModelProto bytes without decoding the graph. */
export interface OnnxMetadata {
  readonly producerName: string;
  readonly producerVersion: string;
  /** metadata_props in file order (a later duplicate key wins). */
  readonly props: ReadonlyMap<string, string>;
  /** The serialized GraphProto (payload of field 7, byte for byte: a view into the input), or undefined if absent. */
  readonly graph: Uint8Array | undefined;
}

// Protobuf wire format: each field is a varint key (field << 3 | wire type) then its payload.
// ModelProto: 2 producer_name, 3 producer_version (strings), 7 graph (GraphProto), 14 metadata_props
// (repeated StringStringEntryProto {1 key, 2 value}). Every other field is skipped by its wire type.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;
const GRAPH = 7;

/**
 * Reads producer, metadata_props and the graph's bytes from ONNX ModelProto `bytes` (pure, no protobuf library:
 * runs on Workers). Malformed or truncated protobuf, or more than one graph field, throw FormatError ERR_FORMAT.
 */
export function readOnnxMetadata(bytes: Uint8Array): OnnxMetadata {
  const props = new Map<string, string>();
  let producerName = "";
  let producerVersion = "";
  let graph: Uint8Array | undefined;
  const text = new TextDecoder("utf-8", { fatal: false });
  forEachField(bytes, 0, bytes.length, (field, wire, start, end) => {
    if (wire !== LEN) return;
    if (field === 2) producerName = text.decode(bytes.subarray(start, end));
    else if (field === 3) producerVersion = text.decode(bytes.subarray(start, end));
    else if (field === GRAPH) {
      if (graph) throw bad("more than one graph field");
      graph = bytes.subarray(start, end);
    } else if (field === 14) {
      let key = "";
      let value = "";
      forEachField(bytes, start, end, (f, w, s, e) => {
        if (w !== LEN) return;
        if (f === 1) key = text.decode(bytes.subarray(s, e));
        else if (f === 2) value = text.decode(bytes.subarray(s, e));
      });
      props.set(key, value);
    }
  });
  return { producerName, producerVersion, props, graph };
}

type Visit = (field: number, wire: number, start: number, end: number) => void;

function forEachField(b: Uint8Array, from: number, to: number, visit: Visit): void {
  let p = from;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= to) throw bad("a varint runs past the end");
      const byte = b[p++];
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
    }
    throw bad("a varint is longer than 10 bytes");
  };
  while (p < to) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 0) throw bad("field number 0");
    let start = p;
    if (wire === VARINT) varint();
    else if (wire === I64) p += 8;
    else if (wire === I32) p += 4;
    else if (wire === LEN) {
      const len = varint();
      start = p;
      p += len;
    } else throw bad(`wire type ${wire} of field ${field} is not supported`);
    if (p > to) throw bad(`field ${field} runs past the end`);
    visit(field, wire, start, p);
  }
}

function bad(message: string): FormatError {
  return new FormatError("readOnnxMetadata", `not an ONNX model: ${message}`);
}
