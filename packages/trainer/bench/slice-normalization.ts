// What a 2-D model loses when each slice is min-max normalized on its own (a single PNG slice sent to the edge API)
// instead of over its volume (a NIfTI volume sent, and how ACDC's files are stored): the ACDC protocol run twice
// on the same checkpoint and validation volumes, once per scaling.
//   node --conditions=@bcpseg/source --import tsx bench/slice-normalization.ts <checkpoint.safetensors>... \
//     [--root DIR (default ../shared/data/ACDC beside the repository)] [--backend wasm]
import { parseArgs } from "node:util";
import { defaultContract2d, normalizeIntensity } from "@bcpseg/core";
import { sharedDataRoot } from "../../../bench/lib/shared-data.ts";
import { AcdcDataset } from "../src/data/index.ts";
import { type EvalCase, evaluateModel } from "../src/eval/index.ts";
import { createModel, loadCheckpoint, useBackend } from "../src/train/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    root: { type: "string" },
    backend: { type: "string", default: "wasm" },
  },
});
if (positionals.length === 0) throw new Error("give one or more checkpoint files");
const backend = await useBackend(values.backend as "wasm");
const val = await AcdcDataset.open(sharedDataRoot("ACDC", values.root), { split: "val" });
const volumes: EvalCase[] = [];
for (let i = 0; i < val.length; i++) {
  const s = await val.get(i);
  volumes.push({ id: s.id, image: s.image, label: s.label as Uint8Array, shape: s.shape });
}
const perSlice = (c: EvalCase): EvalCase => {
  const [n, h, w] = c.shape;
  // A stack [S, H, W] under a 2-D contract with scope "slice" = each slice normalized alone.
  const contract = { ...defaultContract2d({ size: [256, 256] }) };
  const steps = [
    { op: "normalize" as const, method: "minmax" as const, scope: "slice" as const, clipPercentiles: undefined },
  ];
  return {
    ...c,
    image: normalizeIntensity({ ...contract, preprocessing: steps }, { data: c.image, shape: [n, h, w] }),
  };
};
const sliced = volumes.map(perSlice);

console.log(`ACDC val (${volumes.length} volumes), backend ${backend}, ${new Date().toISOString()}`);
console.log("| checkpoint | scaling | RV Dice | Myo Dice | LV Dice | mean Dice | mean HD95 |");
console.log("|---|---|---|---|---|---|---|");
for (const file of positionals) {
  const ckpt = await loadCheckpoint(file);
  const config = ckpt.meta.config;
  const model = createModel(config, 0);
  model.setWeights(ckpt.student);
  for (const [name, cases] of [
    ["per volume (as stored / NIfTI request)", volumes],
    ["per slice (single-slice request)", sliced],
  ] as const) {
    const r = await evaluateModel(model, cases, {
      classes: config.classes,
      protocol: "slices",
      size: config.patchSize,
    });
    const pct = (x: number) => (100 * x).toFixed(1);
    console.log(
      `| ${file} | ${name} | ${r.perClass.map((m) => pct(m.dice)).join(" | ")} | **${pct(r.mean.dice)}** | ${r.mean.hd95.toFixed(2)} |`,
    );
  }
  model.dispose();
}
