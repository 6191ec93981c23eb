import type { ArchSpec } from "./arch-spec.ts";

/**
 * A network in eval mode as a flat list of tensor ops over named float tensors — the precision-independent form
 * that the ONNX emitter lowers to fp32, fp16 or int8 graphs. BatchNorm is already folded, dropout removed.
 */
export type NetOp =
  | {
      readonly op: "conv";
      readonly name: string;
      readonly x: string;
      readonly y: string;
      /** PyTorch layout: [out, in, ...k], or [in, out, ...k] when `transpose`. */
      readonly weight: Float32Array;
      readonly shape: readonly number[];
      readonly bias: Float32Array;
      readonly stride: number;
      readonly pad: number;
      readonly transpose: boolean;
    }
  | ParamFreeOp;

/** The ops without parameters, the same in the network description (netLayers) and in the eval-mode graph. */
export type ParamFreeOp =
  | { readonly op: "leakyRelu"; readonly x: string; readonly y: string; readonly alpha: number }
  | { readonly op: "relu"; readonly x: string; readonly y: string }
  | { readonly op: "maxPool"; readonly x: string; readonly y: string; readonly kernel: number }
  /** Bilinear (trilinear) ×`scale` upsampling with align_corners=True. */
  | { readonly op: "resize"; readonly x: string; readonly y: string; readonly scale: number }
  | { readonly op: "concat"; readonly xs: readonly string[]; readonly y: string }
  | { readonly op: "add"; readonly a: string; readonly b: string; readonly y: string };

/** A network as ops from the tensor `input` ([N, C, ...spatial]) to the tensor `logits`. */
export interface NetGraph {
  readonly arch: ArchSpec;
  readonly rank: 2 | 3;
  readonly ops: readonly NetOp[];
  readonly logits: string;
}

/** Names of the float tensors an op reads. */
export function opInputs(op: NetOp): readonly string[] {
  if (op.op === "concat") return op.xs;
  if (op.op === "add") return [op.a, op.b];
  return [op.x];
}
