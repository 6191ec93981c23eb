import { ExportError } from "./export-error.ts";
import { toFloat16 } from "./float16.ts";
import { GraphBuilder } from "./graph-builder.ts";
import type { NetGraph, NetOp } from "./net-ops.ts";
import { opInputs } from "./net-ops.ts";
import { DataType, type GraphProto } from "./onnx-proto.ts";
import { quantizeBias, quantizeWeightPerChannel, uint8Params } from "./quantize.ts";

/** Storage/compute precision of an exported model. */
export type Precision = "fp32" | "fp16" | "int8-weights" | "int8-static";

/** A calibrated activation range [min, max] per NetGraph tensor name (`input` included). */
export type ActivationRanges = ReadonlyMap<string, readonly [number, number]>;

export interface EmitOptions {
  readonly precision: Precision;
  /** int8-static: calibrated range of every tensor that gets a Q/DQ pair. */
  readonly ranges?: ActivationRanges;
  /** Fixed spatial input dims; symbolic ("H", "W" / "X", "Y", "Z") when omitted. The batch dim is always "N". */
  readonly spatial?: readonly number[];
  /** Add the `labels` output (ArgMax over classes, int64 [N, ...spatial]). */
  readonly labels?: boolean;
  /** int8-static: also quantise the logits (lets the last conv fuse; default true). */
  readonly quantizeLogits?: boolean;
  /** Calibration: expose every NetGraph tensor as an extra float output (no shape). */
  readonly exposeAll?: boolean;
}

/**
 * Lowers a NetGraph to an ONNX GraphProto (opset 17). Input `input` float32 [N, C, ...spatial]; outputs `probs`
 * (Softmax over axis 1) and optionally `labels` (ArgMax axis 1, keepdims 0, int64).
 * - fp32: float32 initializers.
 * - fp16: float16 weights and biases, each Cast to float32 (ORT folds the Casts at load: half the file, fp32 math).
 * - int8-weights: int8 per-channel symmetric weights → DequantizeLinear → float Conv; float32 biases.
 * - int8-static: the standard ORT QDQ format — every activation passes QuantizeLinear → DequantizeLinear (uint8,
 *   asymmetric, calibrated), weights int8 per-channel, biases int32 with scale s_x·s_w. Conv→ReLU puts the Q/DQ after
 *   the ReLU only (zero point 0, so ORT's ReluQuantFusion drops the ReLU); MaxPool/Resize reuse their input's
 *   parameters (MaxPool runs on uint8 after ORT drops its Q/DQ; Resize is written on the uint8 tensor); so ORT fuses
 *   DQ→Conv→Q into QLinearConv, LeakyReLU into QLinearLeakyRelu, Concat/Add into QLinearConcat/QLinearAdd.
 *   ConvTranspose stays a float op on dequantised int8 weights (ORT's CPU EP has no fused QDQ ConvTranspose).
 */
export function emitGraph(net: NetGraph, options: EmitOptions): GraphProto {
  const { precision } = options;
  const g = new GraphBuilder();
  const rank = net.rank;
  const spatial = options.spatial ?? (rank === 2 ? ["H", "W"] : ["X", "Y", "Z"]);
  g.value("input", "input", DataType.FLOAT, ["N", net.arch.inChannels, ...spatial]);

  const consumers = new Map<string, NetOp[]>();
  for (const op of net.ops) for (const x of opInputs(op)) consumers.set(x, [...(consumers.get(x) ?? []), op]);
  const isStatic = precision === "int8-static";
  if (isStatic && !options.ranges)
    throw new ExportError("ERR_MODEL_ARGUMENT", "emitGraph", "int8-static needs options.ranges");
  const qp = new Map<string, { s: string; z: string; scale: number }>(); // float tensor → its Q/DQ parameter names
  const dq = new Map<string, string>(); // float tensor → its dequantised twin
  const use = (t: string) => dq.get(t) ?? t;

  // Q → DQ after tensor `t`, with `t`'s own calibrated parameters or those of tensor `like`.
  const qdq = (t: string, like?: string) => {
    let p = like === undefined ? undefined : qp.get(like);
    if (!p) {
      const r = options.ranges!.get(t);
      if (!r) throw new ExportError("ERR_MODEL_ARGUMENT", "emitGraph", `no calibrated range for tensor "${t}"`);
      const { scale, zeroPoint } = uint8Params(r[0], r[1]);
      p = {
        s: g.f32(`${t}.scale`, [], [scale]),
        z: g.init(`${t}.zero_point`, DataType.UINT8, [], Uint8Array.of(zeroPoint)),
        scale,
      };
    }
    qp.set(t, p);
    g.node("QuantizeLinear", [t, p.s, p.z], [`${t}.q`]);
    dq.set(t, g.node("DequantizeLinear", [`${t}.q`, p.s, p.z], [`${t}.dq`]));
  };

  const weightAndBias = (op: Extract<NetOp, { op: "conv" }>, x: string): [string, string] => {
    const { name, shape } = op;
    if (precision === "fp32")
      return [g.f32(`${name}.weight`, shape, op.weight), g.f32(`${name}.bias`, [op.bias.length], op.bias)];
    if (precision === "fp16") {
      const half = (key: string, dims: readonly number[], v: Float32Array) => {
        g.init(`${name}.${key}.f16`, DataType.FLOAT16, dims, toFloat16(v));
        return g.node("Cast", [`${name}.${key}.f16`], [`${name}.${key}`], { to: DataType.FLOAT });
      };
      return [half("weight", shape, op.weight), half("bias", [op.bias.length], op.bias)];
    }
    const axis = op.transpose ? 1 : 0;
    // int8-static convs run as uint8 × int8 QLinearConv. On x86 without VNNI (AVX2) MLAS multiplies with VPMADDUBSW,
    // whose int16 pair sums saturate for 8-bit weights (255·127·2 > 32767): measured here, min-max int8 fell to 97.3%
    // agreement with fp32 on an AVX2 machine. 7-bit weights (ORT's reduce_range) cannot saturate, on any CPU.
    const { q, scale } = quantizeWeightPerChannel(op.weight, shape, axis, isStatic);
    const c = scale.length;
    g.init(`${name}.weight.q`, DataType.INT8, shape, q);
    g.f32(`${name}.weight.scale`, [c], scale);
    g.init(`${name}.weight.zero_point`, DataType.INT8, [c], new Int8Array(c));
    const w = g.node(
      "DequantizeLinear",
      [`${name}.weight.q`, `${name}.weight.scale`, `${name}.weight.zero_point`],
      [`${name}.weight`],
      { axis },
    );
    const px = qp.get(x);
    if (!isStatic || !px) return [w, g.f32(`${name}.bias`, [op.bias.length], op.bias)];
    const b = quantizeBias(op.bias, px.scale, scale);
    g.init(`${name}.bias.q`, DataType.INT32, [c], b.q);
    g.f32(`${name}.bias.scale`, [c], b.scale);
    return [w, g.node("DequantizeLinear", [`${name}.bias.q`, `${name}.bias.scale`], [`${name}.bias`], { axis: 0 })];
  };

  if (isStatic) qdq("input");
  const ones = (v: number) => Array.from({ length: rank }, () => v);
  for (const op of net.ops) {
    switch (op.op) {
      case "conv": {
        const k = op.shape.slice(2);
        const [w, b] = weightAndBias(op, op.x);
        const attrs = { kernel_shape: k, strides: ones(op.stride), pads: ones(op.pad).concat(ones(op.pad)) };
        g.node(op.transpose ? "ConvTranspose" : "Conv", [use(op.x), w, b], [op.y], attrs);
        break;
      }
      case "leakyRelu":
        g.node("LeakyRelu", [use(op.x)], [op.y], { alpha: { f: op.alpha } });
        break;
      case "relu":
        g.node("Relu", [use(op.x)], [op.y]);
        break;
      case "maxPool":
        g.node("MaxPool", [use(op.x)], [op.y], { kernel_shape: ones(op.kernel), strides: ones(op.kernel) });
        break;
      case "resize": {
        const scales = g.f32(`resize.scales.${op.scale}`, [rank + 2], [1, 1, ...ones(op.scale)]);
        const attrs = { mode: "linear", coordinate_transformation_mode: "align_corners" };
        const p = qp.get(op.x);
        if (isStatic && p) {
          // Resize the uint8 tensor itself (ORT keeps a DQ → Resize → Q group in float otherwise).
          g.node("Resize", [`${op.x}.q`, "", scales], [`${op.y}.q`], attrs);
          qp.set(op.y, p);
          dq.set(op.y, g.node("DequantizeLinear", [`${op.y}.q`, p.s, p.z], [`${op.y}.dq`]));
          continue;
        }
        g.node("Resize", [use(op.x), "", scales], [op.y], attrs);
        break;
      }
      case "concat":
        g.node("Concat", op.xs.map(use), [op.y], { axis: 1 });
        break;
      case "add":
        g.node("Add", [use(op.a), use(op.b)], [op.y]);
        break;
    }
    if (!isStatic) continue;
    const next = consumers.get(op.y) ?? [];
    if (op.y === net.logits) {
      if (options.quantizeLogits ?? true) qdq(op.y);
    } else if (op.op === "conv" && next.length === 1 && next[0].op === "relu") {
      // no Q/DQ between Conv and ReLU: the ReLU's own Q (zero point 0) absorbs it
    } else if (op.op === "maxPool") {
      qdq(op.y, op.x);
    } else {
      qdq(op.y);
    }
  }
  g.node("Softmax", [use(net.logits)], ["probs"], { axis: 1 });
  const outDims = ["N", net.arch.numClasses, ...spatial];
  g.value("output", "probs", DataType.FLOAT, outDims);
  if (options.labels) {
    g.node("ArgMax", [use(net.logits)], ["labels"], { axis: 1, keepdims: 0 });
    g.value("output", "labels", DataType.INT64, ["N", ...spatial]);
  }
  if (options.exposeAll) {
    g.value("output", "input.copy", DataType.FLOAT);
    g.node("Identity", ["input"], ["input.copy"]);
    for (const op of net.ops) g.value("output", op.y, DataType.FLOAT);
  }
  return g.build(`bcpseg_${net.arch.kind}`);
}
