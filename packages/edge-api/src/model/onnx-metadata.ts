import { ModelLoadError } from "./model-load-error.ts";

/** What the edge API reads from an ONNX file without running it: producer and metadata_props. */
export interface OnnxMetadata {
  readonly producerName: string;
  readonly producerVersion: string;
  /** metadata_props in file order (a later duplicate key wins in `get`). */
  readonly props: ReadonlyMap<string, string>;
}

// Protobuf wire format: each field is a varint key (field << 3 | wire type) then its payload.
// ModelProto: 2 producer_name, 3 producer_version (strings), 14 metadata_props (repeated
// StringStringEntryProto {1 key, 2 value}). Every other field is skipped by its wire type.
const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** Reads producer and metadata_props from ONNX ModelProto bytes; ERR_MODEL_FORMAT on malformed protobuf. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxMetadata {
  const props = new Map<string, string>();
  let producerName = "";
  let producerVersion = "";
  const text = new TextDecoder("utf-8", { fatal: false });
  forEachField(bytes, 0, bytes.length, (field, wire, start, end) => {
    if (wire !== LEN) return;
    if (field === 2) producerName = text.decode(bytes.subarray(start, end));
    else if (field === 3) producerVersion = text.decode(bytes.subarray(start, end));
    else if (field === 14) {
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
  return { producerName, producerVersion, props };
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

function bad(message: string): ModelLoadError {
  return new ModelLoadError("ERR_MODEL_FORMAT", `readOnnxMetadata: not an ONNX model: ${message}`);
}
