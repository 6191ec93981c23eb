import {
  type AttributeProto,
  AttrType,
  DataType,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from "./onnx-proto.ts";

/** An attribute value: number → INT when integral else FLOAT (use `{ f }` to force FLOAT), string, int list. */
export type AttrValue = number | string | readonly number[] | { readonly f: number };

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Accumulates ONNX nodes, initializers and graph inputs/outputs; names nodes uniquely. */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly #names = new Set<string>();
  readonly #initNames = new Set<string>();

  /** Adds a node; returns its first output name. */
  node(
    opType: string,
    input: readonly string[],
    output: readonly string[],
    attrs: Record<string, AttrValue> = {},
    domain?: string,
  ): string {
    let name = `${opType}:${output[0]}`;
    for (let k = 1; this.#names.has(name); k++) name = `${opType}:${output[0]}#${k}`;
    this.#names.add(name);
    const attribute = Object.entries(attrs).map(([n, v]) => attr(n, v));
    this.nodes.push({
      name,
      op_type: opType,
      input: [...input],
      output: [...output],
      attribute,
      ...(domain ? { domain } : {}),
    });
    return output[0];
  }

  /** Adds an initializer (raw little-endian data); returns its name. Adding the same name twice is a no-op. */
  init(name: string, dataType: number, dims: readonly number[], data: ArrayBufferView): string {
    if (this.#initNames.has(name)) return name;
    if (!LITTLE_ENDIAN) throw new Error("GraphBuilder.init: big-endian hosts are not supported");
    this.#initNames.add(name);
    this.initializers.push({ name, data_type: dataType, dims: [...dims], raw_data: bytesOf(data).slice() });
    return name;
  }

  /** float32 initializer. */
  f32(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    return this.init(name, DataType.FLOAT, dims, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  /** A float tensor graph input or output with the given dims (number = fixed, string = symbolic); no shape if omitted. */
  value(kind: "input" | "output", name: string, elemType: number, dims?: readonly (number | string)[]): void {
    const shape = dims && { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) };
    (kind === "input" ? this.inputs : this.outputs).push({
      name,
      type: { tensor_type: { elem_type: elemType, ...(shape ? { shape } : {}) } },
    });
  }

  build(name: string): GraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

function attr(name: string, v: AttrValue): AttributeProto {
  if (typeof v === "string") return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === "number") {
    return Number.isInteger(v) ? { name, type: AttrType.INT, i: v } : { name, type: AttrType.FLOAT, f: v };
  }
  if ("f" in v) return { name, type: AttrType.FLOAT, f: v.f };
  return { name, type: AttrType.INTS, ints: [...(v as readonly number[])] };
}
