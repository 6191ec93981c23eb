import { ArgumentError, normalizeIntensity, reverseAxes } from "@bcpseg/core";
import { chooseList } from "../data/fs-node.ts";
import {
  AcdcDataset,
  type Dataset,
  LaDataset,
  NiftiFolderDataset,
  PngFolderDataset,
  type Sample,
  type Split,
  type SplitSpec,
  SynthDataset2d,
  SynthDataset3d,
  splitByPatients,
  splitFirst,
} from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { contractForConfig } from "./contract-for-config.ts";
import { TrainError } from "./train-error.ts";
import { firstCases, slicesToVolumes } from "./volume-cases.ts";

/** What a run trains and validates on. */
export interface TrainData {
  /** Training samples (slices or volumes). */
  readonly train: Dataset;
  readonly split: Split;
  /** Labeled volumes scored during training, if any: see {@link VAL_LISTS}. */
  readonly val: Dataset | undefined;
  /** The list file `val` was read from (ACDC, LA), as chosen by {@link VAL_LISTS} or `data.valList`. */
  readonly valList?: string;
}

/**
 * The validation list of a dataset root, the first of these that exists (`data.valList` overrides): ACDC val.list
 * (its test.list is kept for the final test); LA test.list, on which the official LA script selects its model, else
 * val.list (the layout that ships train.list + val.list).
 */
export const VAL_LISTS = { acdc: ["val.list"], la: ["test.list", "val.list"] } as const;

const VAL_LIST_HINT = "give one with --val-list <file> (data.valList)";

/**
 * Opens the datasets a config names and splits them: ACDC by patients (3 → 68 slices, 7 → 136), LA by the
 * first N volumes of train.list, NIfTI / PNG folders as {@link openFolderData} says, phantoms like their
 * real counterparts; validation sets are volumes.
 */
export async function openTrainData(config: TrainConfig): Promise<TrainData> {
  const d = config.data;
  const spec: SplitSpec =
    d.labeledFraction !== undefined
      ? { labeledFraction: d.labeledFraction }
      : { labeledPatients: d.labeledPatients ?? 1 };
  const needRoot = () => {
    if (d.root === undefined) throw new TrainError("ERR_TRAIN_DATA", `data.root is required for data.kind "${d.kind}"`);
    return d.root;
  };
  let train: Dataset;
  let val: Dataset | undefined;
  let valList: string | undefined;
  let split: Split;
  switch (d.kind) {
    case "acdc": {
      train = await AcdcDataset.open(needRoot(), { split: "train", classes: config.classes });
      valList = await chooseList(needRoot(), VAL_LISTS.acdc, d.valList, VAL_LIST_HINT);
      val = await AcdcDataset.open(needRoot(), { split: "val", list: valList, classes: config.classes });
      split = splitByPatients(train.patients, spec);
      break;
    }
    case "la": {
      train = await LaDataset.open(needRoot(), { split: "train", classes: config.classes });
      valList = await chooseList(needRoot(), VAL_LISTS.la, d.valList, VAL_LIST_HINT);
      val = await LaDataset.open(needRoot(), { split: "val", list: valList, classes: config.classes });
      split =
        "labeledFraction" in spec
          ? splitByPatients(train.patients, spec)
          : splitFirst(train.ids, Math.min(spec.labeledPatients, train.ids.length));
      break;
    }
    case "nifti":
    case "png": {
      ({ train, val, split } = await openFolderData(config, needRoot(), spec));
      break;
    }
    case "synth2d": {
      const size = d.synthSize ?? config.patchSize;
      const intensity = contractIntensity(config);
      train = mapImages(new SynthDataset2d({ patients: d.synthPatients, size, seed: d.synthSeed }), intensity);
      val = await slicesToVolumes(
        mapImages(new SynthDataset2d({ patients: d.synthValPatients, size, seed: d.synthSeed + 1_000_003 }), intensity),
      );
      split = splitByPatients(train.patients, spec);
      break;
    }
    case "synth3d": {
      const size = d.synthSize ?? config.patchSize;
      const intensity = contractIntensity(config);
      train = mapImages(new SynthDataset3d({ count: d.synthPatients, size, seed: d.synthSeed }), intensity);
      val = mapImages(
        new SynthDataset3d({ count: d.synthValPatients, size, seed: d.synthSeed + 1_000_003 }),
        intensity,
      );
      split = splitByPatients(train.patients, spec);
      break;
    }
  }
  const half = config.batch.labeled;
  if (split.labeled.length < half || split.unlabeled.length < config.batch.unlabeled) {
    throw new TrainError(
      "ERR_TRAIN_DATA",
      `the split has ${split.labeled.length} labeled / ${split.unlabeled.length} unlabeled samples; a batch needs ${half} / ${config.batch.unlabeled}`,
    );
  }
  return {
    train,
    split,
    val: val === undefined ? undefined : firstCases(val, d.maxValCases),
    ...(valList === undefined ? {} : { valList }),
  };
}

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
async function openFolderData(
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

function subset(dataset: Dataset, indices: readonly number[]): Dataset {
  return {
    name: dataset.name,
    ids: indices.map((i) => dataset.ids[i]),
    patients: indices.map((i) => dataset.patients[i]),
    length: indices.length,
    rank: dataset.rank,
    classes: dataset.classes,
    get: (i) => (i >= 0 && i < indices.length ? dataset.get(indices[i]) : Promise.reject(badIndex(i, indices.length))),
  };
}

function badIndex(index: number, count: number): ArgumentError {
  return new ArgumentError("openTrainData", "index", `must be an integer in [0, ${count}), got ${index}`);
}

type Intensity = (image: Float32Array, shape: number[]) => Float32Array;

/**
 * The intensity steps of the contract the trained model will carry (contractForConfig), through core's
 * normalizeIntensity — the same code the edge API runs before inference — so training, validation and serving
 * see the same intensities. ACDC and LA files are read as stored: ACDC volumes are stored min-max normalized,
 * which is exactly the contract's step on a served volume (checked on the real data in data/real-data.test.ts);
 * LA files hold crops of volumes z-scored before cropping (the official la_heart_processing), which is what
 * the 3-D contract does to a whole, uncropped scan.
 */
function contractIntensity(config: TrainConfig): Intensity {
  const contract = contractForConfig(config);
  return (data, shape) => normalizeIntensity(contract, { data, shape });
}

function mapImages(dataset: Dataset, f: Intensity): Dataset {
  return {
    ...subset(
      dataset,
      dataset.ids.map((_, i) => i),
    ),
    get: async (i) => {
      const s = await dataset.get(i);
      return { ...s, image: f(s.image, s.shape) };
    },
  };
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
