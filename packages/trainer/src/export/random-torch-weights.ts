import type { Rng } from "@bcpseg/core";
import type { ArchSpec } from "./arch-spec.ts";
import { torchParamShapes } from "./torch-param-shapes.ts";

/**
 * Random PyTorch-layout weights for `arch` (tests and benchmarks): conv weights N(0, 2/fan_in), biases N(0, 0.05²),
 * BN γ ∈ U(0.5, 1.5), β ~ N(0, 0.1²), running mean ~ N(0, 0.1²), running var ∈ U(0.5, 1.5).
 */
export function randomTorchWeights(arch: ArchSpec, rng: Rng): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [name, { shape, kind }] of torchParamShapes(arch)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const fanIn = kind === "weight" ? n / shape[name.includes("_up.") ? 1 : 0] : 1;
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (kind === "weight") v[i] = rng.normal() * Math.sqrt(2 / fanIn);
      else if (kind === "bias") v[i] = 0.05 * rng.normal();
      else if (kind === "bn.weight" || kind === "bn.running_var") v[i] = 0.5 + rng.random();
      else v[i] = 0.1 * rng.normal();
    }
    out[name] = v;
  }
  return out;
}
