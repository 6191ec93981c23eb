import type { AnyFlagValues, OptionsSpec } from "../cli/command.ts";
import { intList, num, str } from "../cli/parse-flags.ts";
import { setPath } from "./set-path.ts";

/** Flags shared by `train` and `demo`-like commands that build a training config. */
export const TRAIN_CONFIG_OPTIONS = {
  config: {
    type: "string",
    short: "c",
    placeholder: "file",
    description: "Config file (JSON or YAML); flags override it",
  },
  preset: {
    type: "string",
    placeholder: "name",
    description: "Base preset: synth2d, synth3d, acdc, la",
    defaultText: "synth2d",
  },
  "data-kind": {
    type: "string",
    placeholder: "kind",
    description: "Dataset kind: acdc, la (HDF5), nifti, png (image/label folders), synth2d, synth3d",
    defaultText: "the preset's",
  },
  "data-root": { type: "string", placeholder: "dir", description: "Dataset folder (acdc, la, nifti, png)" },
  "val-root": {
    type: "string",
    placeholder: "dir",
    description: "nifti/png: labeled validation folder (default: hold out 20% of the labeled patients)",
  },
  classes: { type: "string", placeholder: "n", description: "Classes including background (ACDC 4, LA 2)" },
  "labeled-patients": { type: "string", placeholder: "n", description: "Labeled patients (ACDC 3 or 7, LA 4 or 8)" },
  "labeled-fraction": { type: "string", placeholder: "f", description: "Fraction of training patients labeled (0..1]" },
  backend: {
    type: "string",
    placeholder: "name",
    description:
      "training engine: auto, ort-cpu, ort-webgpu (onnxruntime-node), or a tfjs backend: cpu, wasm, tensorflow, tensorflow-gpu",
  },
  threads: {
    type: "string",
    placeholder: "n|auto",
    description: "ort-cpu and wasm: CPU threads, 1..8 or auto (every core); wasm gives the same results as 1 thread",
    defaultText: "1",
  },
  out: { type: "string", short: "o", placeholder: "dir", description: "Run folder (checkpoints, log, report, plots)" },
  seed: { type: "string", placeholder: "n", description: "Random seed" },
  "pretrain-iterations": { type: "string", placeholder: "n", description: "Pre-training iterations" },
  "selftrain-iterations": { type: "string", placeholder: "n", description: "Self-training iterations" },
  "max-iterations": {
    type: "string",
    placeholder: "n",
    description: "Budget: stop (resumable) after n iterations in this call",
  },
  "max-seconds": {
    type: "string",
    placeholder: "s",
    description: "Budget: stop (resumable) after s seconds in this call",
  },
  width: { type: "string", placeholder: "w", description: "Network width multiplier (1 = the official network)" },
  size: { type: "string", placeholder: "h,w[,d]", description: "Training patch size, multiples of 16" },
  batch: { type: "string", placeholder: "n", description: "Labeled (= unlabeled) images per iteration, even" },
  "val-every": { type: "string", placeholder: "n", description: "Validate every n iterations (0 = end of stage)" },
  set: {
    type: "string",
    multiple: true,
    placeholder: "key=value",
    description: "Set any config field by dot path (repeatable)",
  },
} as const satisfies OptionsSpec;

/** The config overrides the flags ask for (paths as given; the builder resolves them). */
export function trainFlagOverrides(
  values: AnyFlagValues,
  deepMerge: <T>(a: T, b: unknown) => T,
): Record<string, unknown> {
  let o: Record<string, unknown> = {};
  const put = (patch: Record<string, unknown>) => {
    o = deepMerge(o, patch);
  };
  const v = (name: string, opts?: { int?: boolean; min?: number }) => num(values, name, opts);
  const kind = str(values, "data-kind");
  if (kind !== undefined) put({ data: { kind } });
  const root = str(values, "data-root");
  if (root !== undefined) put({ data: { root } });
  const valRoot = str(values, "val-root");
  if (valRoot !== undefined) put({ data: { valRoot } });
  const classes = v("classes", { int: true, min: 2 });
  if (classes !== undefined) put({ classes });
  const lp = v("labeled-patients", { int: true, min: 1 });
  if (lp !== undefined) put({ data: { labeledPatients: lp } });
  const lf = v("labeled-fraction");
  if (lf !== undefined) put({ data: { labeledFraction: lf } });
  const backend = str(values, "backend");
  if (backend !== undefined) put({ backend });
  const threads = str(values, "threads") === "auto" ? "auto" : v("threads", { int: true, min: 1 });
  if (threads !== undefined) put({ threads });
  const out = str(values, "out");
  if (out !== undefined) put({ outDir: out });
  const seed = v("seed", { int: true });
  if (seed !== undefined) put({ seed });
  const pre = v("pretrain-iterations", { int: true, min: 0 });
  if (pre !== undefined) put({ pretrain: { iterations: pre } });
  const self = v("selftrain-iterations", { int: true, min: 0 });
  if (self !== undefined) put({ selftrain: { iterations: self } });
  const maxIt = v("max-iterations", { int: true, min: 1 });
  if (maxIt !== undefined) put({ budget: { maxIterations: maxIt } });
  const maxS = v("max-seconds");
  if (maxS !== undefined) put({ budget: { maxSeconds: maxS } });
  const width = v("width");
  if (width !== undefined) put({ model: { width } });
  const size = intList(values, "size");
  if (size !== undefined) put({ patchSize: size, data: { synthSize: size } });
  const batch = v("batch", { int: true, min: 2 });
  if (batch !== undefined) put({ batch: { labeled: batch, unlabeled: batch } });
  const every = v("val-every", { int: true, min: 0 });
  if (every !== undefined) put({ validation: { every } });
  const sets = values.set;
  if (Array.isArray(sets)) for (const s of sets) put(setPath(String(s)));
  return o;
}
