import { reverseAxes } from "@bcpseg/core";
import {
  type Dataset,
  NiftiFolderDataset,
  PngFolderDataset,
  type Sample,
  type Split,
  type SplitSpec,
} from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { badIndex, contractIntensity, type Intensity, mapImages, subset } from "./dataset-views.ts";
import type { TrainData } from "./open-data.ts";
import { TrainError } from "./train-error.ts";

/**
 * NIfTI / PNG folders. Validation: the labeled cases of `data.valRoot`, else the last `valFraction` (default
 * 0.2, at least one) of the patients that have labels, held out whole (their unlabeled images too). Of the
 * other patients the first `labeledPatients` (or `labeledFraction` of them all) that have labels are labeled;
 * everything else, images without a label file included, is unlabeled. A 2-D model trains on the slices of
 * NIfTI volumes [X, Y, Z] taken as the [Z, Y, X] stack the edge API segments (slices [Y, X], as ACDC), and
 * validates on those stacks; PNG validation cases are a patient's same-sized images stacked [S, H, W].
 * Intensities are normalized as the exported model's contract (contractForConfig) does before inference:
 * min-max per PNG slice or per NIfTI stack, z-score per 3-D volume, so training, validation and serving agree.
 */
export async function openFolderData(
  config: TrainConfig,
  root: string,
  spec: SplitSpec,
): Promise<Required<Omit<TrainData, "valList">>> {
  const d = config.data;
  const rank = config.patchSize.length;
  if (d.kind === "png" && rank !== 2) {
    throw new TrainError("ERR_TRAIN_DATA", 'data.kind "png" holds 2-D images: train a 2-D model (model.arch "unet2d")');
  }
  const folder = (dir: string, includeUnlabeled: boolean): Promise<NiftiFolderDataset | PngFolderDataset> =>
    d.kind === "png"
      ? PngFolderDataset.open(dir, { classes: config.classes, binarize: d.binarize ?? false, includeUnlabeled })
      : NiftiFolderDataset.open(dir, { classes: config.classes, includeUnlabeled, rank: 3 });
  // NIfTI volumes for a 2-D model are normalized per stack once reversed (zyxStacks), as served.
  const intensity = contractIntensity(config);
  const norm = d.kind === "nifti" && rank === 2 ? undefined : intensity;
  const open = async (dir: string, includeUnlabeled: boolean) => {
    const f = await folder(dir, includeUnlabeled);
    return { files: f.files, dataset: norm === undefined ? f : mapImages(f, norm) };
  };
  const { files, dataset: all } = await open(root, true);
  const hasLabel = files.map((f) => f.label !== undefined);
  let pool = all.ids.map((_, i) => i);
  let cases: Dataset;
  if (d.valRoot !== undefined) {
    cases = (await open(d.valRoot, false)).dataset;
  } else {
    const labeledPatients = firstAppearance(all.patients.filter((_, i) => hasLabel[i]));
    const held = Math.max(1, Math.round((d.valFraction ?? 0.2) * labeledPatients.length));
    if (held >= labeledPatients.length) {
      throw new TrainError(
        "ERR_TRAIN_DATA",
        `${root} has ${labeledPatients.length} patient(s) with labels: too few to hold ${held} out for validation and train on the rest; add patients or give data.valRoot`,
      );
    }
    const out = new Set(labeledPatients.slice(-held));
    cases = subset(
      all,
      pool.filter((i) => out.has(all.patients[i]) && hasLabel[i]),
    );
    pool = pool.filter((i) => !out.has(all.patients[i]));
  }
  const poolDataset = subset(all, pool);
  const poolLabeled = pool.map((i) => hasLabel[i]);
  if (d.kind === "nifti" && rank === 2) {
    const slices = await slicesOf(zyxStacks(poolDataset, intensity));
    const labeled = slices.volumeOf.map((v) => poolLabeled[v]);
    return {
      train: slices.dataset,
      split: splitLabeled(slices.dataset.patients, labeled, spec),
      val: zyxStacks(cases, intensity),
    };
  }
  const val = rank === 2 ? await stackSlices(cases) : cases;
  return { train: poolDataset, split: splitLabeled(poolDataset.patients, poolLabeled, spec), val };
}

// The first N patients with a label are labeled (a fraction counts every patient, capped at those with labels).
function splitLabeled(patients: readonly string[], hasLabel: readonly boolean[], spec: SplitSpec): Split {
  const candidates = firstAppearance(patients.filter((_, i) => hasLabel[i]));
  const count =
    "labeledPatients" in spec
      ? spec.labeledPatients
      : Math.min(
          candidates.length,
          Math.max(1, Math.floor(spec.labeledFraction * firstAppearance(patients).length + 1e-9)),
        );
  if (count > candidates.length) {
    throw new TrainError(
      "ERR_TRAIN_DATA",
      `data.labeledPatients is ${count}, but the training patients with labels are ${candidates.length}`,
    );
  }
  const chosen = new Set(candidates.slice(0, count));
  const labeled: number[] = [];
  const unlabeled: number[] = [];
  patients.forEach((p, i) => {
    (chosen.has(p) && hasLabel[i] ? labeled : unlabeled).push(i);
  });
  return { labeled, unlabeled, labeledPatients: candidates.slice(0, count) };
}

function firstAppearance(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

// [X, Y, Z] volumes as [Z, Y, X] stacks, normalized as the 2-D contract normalizes a served NIfTI stack
// (`intensity`); every one kept once read (a 2-D run samples slices of all).
function zyxStacks(volumes: Dataset, intensity: Intensity): Dataset {
  const stacks = new Map<number, Promise<Sample>>();
  const read = async (i: number): Promise<Sample> => {
    const s = await volumes.get(i);
    const [x, y, z] = s.shape;
    const label = s.label === undefined ? undefined : reverseAxes(s.label, s.shape).data;
    return {
      ...s,
      image: intensity(reverseAxes(s.image, s.shape).data, [z, y, x]),
      label,
      shape: [z, y, x],
      spacing: s.spacing?.toReversed(),
    };
  };
  const get = (i: number): Promise<Sample> => {
    let p = stacks.get(i);
    if (p === undefined) {
      p = read(i);
      stacks.set(i, p);
      p.catch(() => stacks.delete(i));
    }
    return p;
  };
  return {
    ...subset(
      volumes,
      volumes.ids.map((_, i) => i),
    ),
    name: `${volumes.name} as [Z, Y, X]`,
    get,
  };
}

// The [H, W] slices of [S, H, W] stacks (each stack read once here to count its slices).
async function slicesOf(stacks: Dataset): Promise<{ dataset: Dataset; volumeOf: number[] }> {
  const volumeOf: number[] = [];
  const sliceOf: number[] = [];
  for (let v = 0; v < stacks.length; v++) {
    const [s] = (await stacks.get(v)).shape;
    for (let k = 0; k < s; k++) {
      volumeOf.push(v);
      sliceOf.push(k);
    }
  }
  const get = async (i: number): Promise<Sample> => {
    if (!(i >= 0 && i < volumeOf.length)) throw badIndex(i, volumeOf.length);
    const st = await stacks.get(volumeOf[i]);
    const [, h, w] = st.shape;
    const [a, b] = [sliceOf[i] * h * w, (sliceOf[i] + 1) * h * w];
    const id = `${st.id}_slice_${sliceOf[i]}`;
    return { image: st.image.subarray(a, b), label: st.label?.subarray(a, b), shape: [h, w], id, patient: st.patient };
  };
  const dataset: Dataset = {
    name: `${stacks.name} slices`,
    ids: volumeOf.map((v, i) => `${stacks.ids[v]}_slice_${sliceOf[i]}`),
    patients: volumeOf.map((v) => stacks.patients[v]),
    length: volumeOf.length,
    rank: 2,
    classes: stacks.classes,
    get,
  };
  return { dataset, volumeOf };
}

// 2-D validation cases: each patient's images of one size stacked [S, H, W] in list order.
async function stackSlices(slices: Dataset): Promise<Dataset> {
  const groups = new Map<string, Sample[]>();
  for (let i = 0; i < slices.length; i++) {
    const s = await slices.get(i);
    const key = `${s.patient}\u0000${s.shape.join("x")}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const cases: Sample[] = [];
  const sizesOf = new Map<string, number>();
  for (const g of groups.values()) sizesOf.set(g[0].patient, (sizesOf.get(g[0].patient) ?? 0) + 1);
  for (const g of groups.values()) {
    const [h, w] = g[0].shape;
    const image = new Float32Array(g.length * h * w);
    const label = new Uint8Array(g.length * h * w);
    g.forEach((s, k) => {
      image.set(s.image, k * h * w);
      if (s.label !== undefined) label.set(s.label, k * h * w);
    });
    const patient = g[0].patient;
    const id = (sizesOf.get(patient) ?? 0) > 1 ? `${patient}_${h}x${w}` : patient;
    cases.push({ image, label, shape: [g.length, h, w], id, patient });
  }
  return {
    name: `${slices.name} (stacks)`,
    ids: cases.map((c) => c.id),
    patients: cases.map((c) => c.patient),
    length: cases.length,
    rank: 3,
    classes: slices.classes,
    get: (i) => (i >= 0 && i < cases.length ? Promise.resolve(cases[i]) : Promise.reject(badIndex(i, cases.length))),
  };
}
