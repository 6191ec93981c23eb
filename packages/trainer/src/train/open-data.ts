import { chooseList } from "../data/fs-node.ts";
import {
  AcdcDataset,
  type Dataset,
  LaDataset,
  type Split,
  type SplitSpec,
  SynthDataset2d,
  SynthDataset3d,
  splitByPatients,
  splitFirst,
} from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { contractIntensity, mapImages } from "./dataset-views.ts";
import { openFolderData } from "./open-folder-data.ts";
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
