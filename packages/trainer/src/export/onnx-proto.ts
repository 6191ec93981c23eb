import protobuf from "protobufjs";

// The subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, proto2) that bcpseg writes and reads, as a
// protobufjs JSON descriptor. Field names and numbers are those of onnx.proto; unknown fields are skipped on decode.
const rep = (type: string, id: number) => ({ rule: "repeated", type, id });
const DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            type: { type: "int32", id: 20 },
            f: { type: "float", id: 2 },
            i: { type: "int64", id: 3 },
            s: { type: "bytes", id: 4 },
            t: { type: "TensorProto", id: 5 },
            floats: rep("float", 7),
            ints: rep("int64", 8),
            strings: rep("bytes", 9),
            doc_string: { type: "string", id: 13 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: "string", id: 1 },
            type: { type: "TypeProto", id: 2 },
            doc_string: { type: "string", id: 3 },
          },
        },
        NodeProto: {
          fields: {
            input: rep("string", 1),
            output: rep("string", 2),
            name: { type: "string", id: 3 },
            op_type: { type: "string", id: 4 },
            domain: { type: "string", id: 7 },
            attribute: rep("AttributeProto", 5),
            doc_string: { type: "string", id: 6 },
          },
        },
        ModelProto: {
          fields: {
            ir_version: { type: "int64", id: 1 },
            opset_import: rep("OperatorSetIdProto", 8),
            producer_name: { type: "string", id: 2 },
            producer_version: { type: "string", id: 3 },
            domain: { type: "string", id: 4 },
            model_version: { type: "int64", id: 5 },
            doc_string: { type: "string", id: 6 },
            graph: { type: "GraphProto", id: 7 },
            metadata_props: rep("StringStringEntryProto", 14),
          },
        },
        StringStringEntryProto: { fields: { key: { type: "string", id: 1 }, value: { type: "string", id: 2 } } },
        GraphProto: {
          fields: {
            node: rep("NodeProto", 1),
            name: { type: "string", id: 2 },
            initializer: rep("TensorProto", 5),
            doc_string: { type: "string", id: 10 },
            input: rep("ValueInfoProto", 11),
            output: rep("ValueInfoProto", 12),
            value_info: rep("ValueInfoProto", 13),
          },
        },
        TensorProto: {
          fields: {
            dims: rep("int64", 1),
            data_type: { type: "int32", id: 2 },
            float_data: { ...rep("float", 4), options: { packed: true } },
            int32_data: { ...rep("int32", 5), options: { packed: true } },
            int64_data: { ...rep("int64", 7), options: { packed: true } },
            name: { type: "string", id: 8 },
            doc_string: { type: "string", id: 12 },
            raw_data: { type: "bytes", id: 9 },
          },
        },
        TensorShapeProto: {
          fields: { dim: rep("Dimension", 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ["dim_value", "dim_param"] } },
              fields: { dim_value: { type: "int64", id: 1 }, dim_param: { type: "string", id: 2 } },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ["tensor_type"] } },
          fields: { tensor_type: { type: "Tensor", id: 1 }, denotation: { type: "string", id: 6 } },
          nested: {
            Tensor: { fields: { elem_type: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(DESCRIPTOR);
/** Reflected onnx.ModelProto (encode / decode / toObject). */
export const ModelProtoType = root.lookupType("onnx.ModelProto");
/** Reflected onnx.GraphProto. */
export const GraphProtoType = root.lookupType("onnx.GraphProto");

/** ONNX TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
/** ONNX AttributeProto.AttributeType values used here. */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** An ONNX TensorProto as plain data (weights always in raw_data, little-endian). */
export interface TensorProto {
  name: string;
  data_type: number;
  dims: number[];
  raw_data: Uint8Array;
}

/** An ONNX AttributeProto as plain data. */
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

/** An ONNX NodeProto as plain data. */
export interface NodeProto {
  name: string;
  op_type: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
}

/** A graph input/output: a tensor of `elem_type` with fixed (number) or symbolic (string) dims, or no shape. */
export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape?: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}

/** An ONNX GraphProto as plain data. */
export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}

/** An ONNX ModelProto as plain data. */
export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph: GraphProto;
  metadata_props: { key: string; value: string }[];
}

/** Serialises a ModelProto (fields in field-number order, so metadata_props follows the graph). */
export function encodeModel(model: ModelProto): Uint8Array {
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}

/** Serialises a GraphProto alone (the bytes that `bcpseg.sha256` hashes). */
export function encodeGraph(graph: GraphProto): Uint8Array {
  return GraphProtoType.encode(GraphProtoType.fromObject(graph)).finish();
}

/** Parses a ModelProto; int64 fields become numbers, bytes Uint8Arrays. Throws on malformed protobuf. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const msg = ModelProtoType.decode(bytes);
  return ModelProtoType.toObject(msg, { longs: Number, bytes: Uint8Array, defaults: true, arrays: true }) as ModelProto;
}
