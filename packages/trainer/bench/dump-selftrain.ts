// Dumps one self-training iteration as PNG strips for inspection: per unlabeled-half row the unlabeled image,
// its ground truth, the teacher's pseudo label, the box mask, each mixed input, its effective target and its
// loss weight map (white = 1.0, grey = 0.5). Also checks the channels-last → class mapping of the pseudo labels.
//   node --conditions=@bcpseg/source --import tsx bench/dump-selftrain.ts --ckpt <pretrain-best.safetensors>
//        [--size 64] [--width 0.25] [--out /tmp/dump]
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bidirectionalMix, boxMask, encodePng, type MixedBatch, pseudoLabels } from "@bcpseg/core";
import * as tf from "@tensorflow/tfjs-core";
import { loadBatch } from "../src/data/index.ts";
import { loadCheckpoint, openTrainData, preset, sampleTransform, useBackend } from "../src/train/index.ts";
// The mutable Run is internal to the trainer; this bench reads it from its own file.
import { Run } from "../src/train/run-training.ts";

const { values } = parseArgs({
  options: {
    ckpt: { type: "string" },
    size: { type: "string", default: "64" },
    width: { type: "string", default: "0.25" },
    batch: { type: "string", default: "4" },
    out: { type: "string", default: join(tmpdir(), "bcpseg-dump") },
  },
});
const size = Number(values.size);
const config = preset("synth2d", {
  data: { synthPatients: 40, synthValPatients: 6, synthSize: [size, size] },
  model: { width: Number(values.width) },
  patchSize: [size, size],
  batch: { labeled: Number(values.batch), unlabeled: Number(values.batch) },
  backend: "cpu",
});
await useBackend(config.backend);
const data = await openTrainData(config);
const run = new Run(config, data, "cpu");
if (values.ckpt !== undefined) run.beginSelfTrain(await loadCheckpoint(values.ckpt));
else run.beginSelfTrain(run.snapshot());
const teacher = run.teacher;
if (teacher === undefined) throw new Error("no teacher");

const indices = run.sampler.next();
const batch = await loadBatch(data.train, indices, sampleTransform(config, run.augmentRng));
const l = config.batch.labeled;
const s = l / 2;
const n = size * size;
console.log(
  "batch indices",
  indices,
  "labeled?",
  indices.map((i) => data.split.labeled.includes(i)),
);

const images = batch.images.subarray(0, l * n);
const labels = batch.labels.subarray(0, l * n);
const unlabeled = batch.images.subarray(l * n, 2 * l * n);
const unlabeledGt = batch.labels.subarray(l * n, 2 * l * n); // for display only
const plab = new Int32Array(l * n);
for (const half of [0, 1]) {
  const [cf, cl] = tf.tidy(() => {
    const x = tf.tensor(unlabeled.subarray(half * s * n, (half + 1) * s * n), [s, size, size, 1]);
    const y = teacher.apply(x, { training: false, updateStats: false });
    const channelsFirst = tf.transpose(y, [0, 3, 1, 2]).dataSync() as Float32Array;
    return [channelsFirst, tf.argMax(y, -1).dataSync() as Int32Array];
  });
  const p = pseudoLabels(cf, [s, config.classes, size, size], { mode: "argmax", largestComponent: false });
  let diff = 0;
  for (let i = 0; i < p.length; i++) if (p[i] !== cl[i]) diff++;
  console.log(`half ${half}: pseudo labels vs tf.argMax(channels-last): ${diff} of ${p.length} differ`);
  plab.set(pseudoLabels(cf, [s, config.classes, size, size], { mode: "argmax", largestComponent: true }), half * s * n);
}
// Dice of classes 1..3 over the whole unlabeled half.
const acc = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  [1, 2, 3]
    .map((c) => {
      let inter = 0;
      let sum = 0;
      for (let i = 0; i < a.length; i++) {
        inter += a[i] === c && b[i] === c ? 1 : 0;
        sum += (a[i] === c ? 1 : 0) + (b[i] === c ? 1 : 0);
      }
      return sum === 0 ? 1 : (2 * inter) / sum;
    })
    .map((d) => d.toFixed(3))
    .join(" / ");
console.log("teacher (eval mode) Dice RV / Myo / LV on the unlabeled half:", acc(plab, unlabeledGt));
// The official teacher runs in train mode (batch-statistics BatchNorm, dropout): how much does that cost here?
for (let trial = 0; trial < 3; trial++) {
  const probe = teacher.getWeights();
  const trainMode = new Int32Array(l * n);
  for (const half of [0, 1]) {
    const am = tf.tidy(() => {
      const x = tf.tensor(unlabeled.subarray(half * s * n, (half + 1) * s * n), [s, size, size, 1]);
      return tf.argMax(teacher.apply(x, { training: true, rng: run.teacherDropoutRng }), -1).dataSync() as Int32Array;
    });
    trainMode.set(am, half * s * n);
  }
  teacher.setWeights(probe); // undo the running-statistics update of the probe
  console.log(`teacher (train mode, draw ${trial}) Dice RV / Myo / LV:`, acc(trainMode, unlabeledGt));
}

const m = boxMask([size, size], { ratio: config.maskRatio, rng: run.maskRng }).mask;
const mix = bidirectionalMix({ images, labels }, { images: unlabeled, pseudoLabels: plab }, m, [l, 1, size, size], {
  pairing: "acdc",
  labeledWeight: 1,
  unlabeledWeight: config.uWeight,
});

// Checks against §3.1: unl = uimg_a*M + img_a*(1-M), target plab_a outside / lab_a inside; l = img_b*M + uimg_b*(1-M).
const check = (
  name: string,
  mixed: MixedBatch,
  frame: Float32Array,
  box: Float32Array,
  ft: Int32Array,
  bt: Int32Array,
) => {
  let bad = 0;
  for (let k = 0; k < s; k++) {
    for (let i = 0; i < n; i++) {
      const inFrame = m[i] === 1;
      const want = inFrame ? frame[k * n + i] : box[k * n + i];
      const wantT = inFrame ? ft[k * n + i] : bt[k * n + i];
      if (mixed.images[k * n + i] !== want || mixed.target[k * n + i] !== wantT) bad++;
    }
  }
  console.log(
    `${name}: labeledRegion=${mixed.labeledRegion} frameWeight=${mixed.frameWeight} boxWeight=${mixed.boxWeight} mismatches=${bad}`,
  );
};
const part = (a: Float32Array | Int32Array, k: 0 | 1) => a.subarray(k * s * n, (k + 1) * s * n);
check(
  "unlabeledFrame",
  mix.unlabeledFrame,
  part(unlabeled, 0) as Float32Array,
  part(images, 0) as Float32Array,
  part(plab, 0) as Int32Array,
  part(labels, 0) as Int32Array,
);
check(
  "labeledFrame",
  mix.labeledFrame,
  part(images, 1) as Float32Array,
  part(unlabeled, 1) as Float32Array,
  part(labels, 1) as Int32Array,
  part(plab, 1) as Int32Array,
);

// One RGB strip per sub-batch row.
const COLORS = [
  [0, 0, 0],
  [230, 60, 60],
  [60, 200, 60],
  [60, 120, 255],
];
type Tile = (i: number) => [number, number, number];
const gray =
  (a: ArrayLike<number>, off: number): Tile =>
  (i) => {
    const v = Math.max(0, Math.min(255, Math.round(a[off + i] * 255)));
    return [v, v, v];
  };
const lab =
  (a: ArrayLike<number>, off: number): Tile =>
  (i) =>
    COLORS[a[off + i]] as [number, number, number];
const weight =
  (mixed: MixedBatch): Tile =>
  (i) => {
    const w = m[i] === 1 ? mixed.frameWeight : mixed.boxWeight;
    const v = Math.round(255 * w);
    return [v, v, v];
  };
await mkdir(values.out, { recursive: true });
const gap = 2;
const zoom = 3;
for (const half of [0, 1] as const) {
  for (let k = 0; k < s; k++) {
    const off = (half * s + k) * n;
    const moff = k * n;
    const mixed = half === 0 ? mix.unlabeledFrame : mix.labeledFrame;
    const tiles: Tile[] = [
      gray(unlabeled, off),
      lab(unlabeledGt, off),
      lab(plab, off),
      gray(images, off),
      lab(labels, off),
      (i) => (m[i] === 1 ? [255, 255, 255] : [0, 0, 0]),
      gray(mixed.images, moff),
      lab(mixed.target, moff),
      weight(mixed),
    ];
    const side = size * zoom;
    const w = tiles.length * (side + gap);
    const px = new Uint8Array(side * w * 3);
    tiles.forEach((tile, t) => {
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) {
          const rgb = tile(Math.floor(y / zoom) * size + Math.floor(x / zoom));
          px.set(rgb, (y * w + t * (side + gap) + x) * 3);
        }
    });
    const png = encodePng({ data: px, width: w, height: side, channels: 3, bitDepth: 8 });
    const name = `${half === 0 ? "a_unlabeled-frame" : "b_labeled-frame"}_${k}.png`;
    await writeFile(join(values.out, name), png);
  }
}
console.log(
  "columns: unlabeled image | its GT (display only) | pseudo label | labeled image | its GT | M (white=1 frame) | mixed input | effective target | weight",
);
console.log(`wrote ${values.out}`);
run.dispose();
