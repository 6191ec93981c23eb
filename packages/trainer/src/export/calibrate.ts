import type { ActivationRanges } from "./emit-onnx.ts";
import { emitGraph } from "./emit-onnx.ts";
import { ExportError } from "./export-error.ts";
import type { NetGraph } from "./net-ops.ts";
import { encodeModel } from "./onnx-proto.ts";
import { defaultOrt, type OrtModule } from "./ort-module.ts";

/**
 * The calibration the benchmarks measured (BENCHMARKS.md, ONNX export: int8 static within 0.6 Dice points of fp32
 * on ACDC, above it for the trained 128x128 student) and the default of {@link calibrate} and `exportOnnx`.
 */
export const DEFAULT_CALIBRATION = { method: "percentile", percentile: 99.99 } as const;

/** How activation ranges are estimated from calibration images. */
export interface CalibrationOptions {
  /**
   * "minmax": the extreme values seen; "percentile": the (100 − p)th and p-th percentiles of all values seen
   * (default {@link DEFAULT_CALIBRATION}).
   */
  readonly method?: "minmax" | "percentile";
  /** p for "percentile" (default 99.99). */
  readonly percentile?: number;
  /** Histogram bins for "percentile" (default 4096). */
  readonly bins?: number;
  /** onnxruntime binding to run the fp32 model (default onnxruntime-web). */
  readonly ort?: OrtModule;
}

const FN = "calibrate";

/**
 * Runs the fp32 network on each calibration image ([C, ...spatial] float32 of `shape`, batch 1) with every
 * intermediate tensor exposed as an output, and returns each tensor's range. "percentile" takes two passes: min/max
 * first, then a histogram over [min, max] per tensor whose cumulative counts give the percentiles (bin edges,
 * linearly interpolated inside the bin).
 */
export async function calibrate(
  net: NetGraph,
  images: readonly Float32Array[],
  shape: readonly number[],
  options: CalibrationOptions = {},
): Promise<ActivationRanges> {
  const method = options.method ?? DEFAULT_CALIBRATION.method;
  const p = options.percentile ?? DEFAULT_CALIBRATION.percentile;
  const bins = options.bins ?? 4096;
  if (method !== "minmax" && method !== "percentile") throw arg(`options.method must be "minmax" or "percentile"`);
  if (!(p > 50 && p <= 100)) throw arg(`options.percentile must be in (50, 100], got ${p}`);
  if (images.length === 0) throw arg("images must hold at least one calibration image");
  const n = shape.reduce((a, b) => a * b, 1);
  images.forEach((im, i) => {
    if (!(im instanceof Float32Array) || im.length !== n)
      throw arg(`images[${i}] must be a Float32Array of [${shape}]`);
  });
  const ort = options.ort ?? (await defaultOrt());
  const graph = emitGraph(net, { precision: "fp32", exposeAll: true, spatial: shape.slice(1) });
  const bytes = encodeModel({
    ir_version: 8,
    opset_import: [{ domain: "", version: 17 }],
    producer_name: "bcpseg-calibration",
    producer_version: "0",
    graph,
    metadata_props: [],
  });
  const session = await ort.InferenceSession.create(bytes);
  const names = ["input", ...net.ops.map((o) => o.y)];
  const outName = (t: string) => (t === "input" ? "input.copy" : t);
  const run = async (visit: (t: string, v: Float32Array) => void) => {
    for (const im of images) {
      const out = await session.run({ input: new ort.Tensor("float32", im, [1, ...shape]) });
      for (const t of names) visit(t, out[outName(t)].data as Float32Array);
    }
  };
  try {
    const lo = new Map<string, number>(names.map((t) => [t, Number.POSITIVE_INFINITY]));
    const hi = new Map<string, number>(names.map((t) => [t, Number.NEGATIVE_INFINITY]));
    await run((t, v) => {
      let [a, b] = [lo.get(t)!, hi.get(t)!];
      for (let i = 0; i < v.length; i++) {
        if (v[i] < a) a = v[i];
        if (v[i] > b) b = v[i];
      }
      lo.set(t, a);
      hi.set(t, b);
    });
    const ranges = new Map<string, readonly [number, number]>(names.map((t) => [t, [lo.get(t)!, hi.get(t)!] as const]));
    if (method === "minmax") return ranges;
    const hist = new Map<string, Float64Array>(names.map((t) => [t, new Float64Array(bins)]));
    await run((t, v) => {
      const [a, b] = ranges.get(t)!;
      const h = hist.get(t)!;
      const k = b > a ? bins / (b - a) : 0;
      for (let i = 0; i < v.length; i++) h[Math.min(bins - 1, Math.floor((v[i] - a) * k))]++;
    });
    const out = new Map<string, readonly [number, number]>();
    for (const t of names) {
      const [a, b] = ranges.get(t)!;
      const h = hist.get(t)!;
      out.set(t, [quantile(h, a, b, 1 - p / 100), quantile(h, a, b, p / 100)]);
    }
    return out;
  } finally {
    await session.release();
  }
}

/** The q-quantile of the values histogrammed in `h` over [a, b] (linear inside the bin). */
function quantile(h: Float64Array, a: number, b: number, q: number): number {
  if (!(b > a)) return a;
  let total = 0;
  for (const c of h) total += c;
  const target = q * total;
  const width = (b - a) / h.length;
  let cum = 0;
  for (let i = 0; i < h.length; i++) {
    if (h[i] > 0 && cum + h[i] >= target) return a + (i + Math.max(0, Math.min(1, (target - cum) / h[i]))) * width;
    cum += h[i];
  }
  return b;
}

function arg(message: string) {
  return new ExportError("ERR_MODEL_ARGUMENT", FN, message);
}
