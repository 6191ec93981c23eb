import type { ArchSpec, TorchWeights } from "./arch-spec.ts";
import { ExportError } from "./export-error.ts";
import { netLayers } from "./net-layers.ts";
import type { NetGraph, NetOp } from "./net-ops.ts";
import { WeightReader } from "./torch-weights.ts";

/**
 * `arch` in eval mode from PyTorch-layout weights, as ops over named tensors: the layers of {@link netLayers} (the
 * description the trainer's onnxruntime graphs are generated from) with each BatchNorm folded into the conv before
 * it (running statistics, `bnEps`) and dropout removed (the identity in eval mode).
 */
export function netGraph(arch: ArchSpec, weights: TorchWeights, options: { bnEps?: number } = {}): NetGraph {
  const fn = "netGraph";
  const net = netLayers(arch);
  const r = new WeightReader(weights, fn);
  const eps = options.bnEps ?? 1e-5;
  const alias = new Map<string, string>();
  const name = (t: string) => alias.get(t) ?? t;
  const bnAfter = new Map<string, Extract<(typeof net.layers)[number], { op: "batchNorm" }>>();
  for (const l of net.layers) if (l.op === "batchNorm") bnAfter.set(l.x, l);
  const folded = new Set<string>();
  const ops: NetOp[] = [];
  for (const l of net.layers) {
    switch (l.op) {
      case "conv": {
        const bn = bnAfter.get(l.y);
        const c = bn ? r.convBn(l.name, bn.name, l.shape, l.transpose, eps) : r.conv(l.name, l.shape);
        if (bn) folded.add(bn.name);
        const { stride, pad, transpose } = l;
        ops.push({ op: "conv", name: l.name, x: name(l.x), y: bn?.y ?? l.y, ...c, stride, pad, transpose });
        break;
      }
      case "batchNorm":
        if (!folded.has(l.name)) throw new ExportError("ERR_MODEL_ARGUMENT", fn, `BatchNorm ${l.name} follows no conv`);
        break;
      case "dropout":
        alias.set(l.y, name(l.x));
        break;
      case "concat":
        ops.push({ op: "concat", xs: l.xs.map(name), y: l.y });
        break;
      case "add":
        ops.push({ op: "add", a: name(l.a), b: name(l.b), y: l.y });
        break;
      default:
        ops.push({ ...l, x: name(l.x) });
    }
  }
  return { arch, rank: net.rank, ops, logits: name(net.logits) };
}
