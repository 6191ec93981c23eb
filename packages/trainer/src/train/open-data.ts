import {
  AcdcDataset,
  type Dataset,
  LaDataset,
  type Split,
  SynthDataset2d,
  SynthDataset3d,
  splitByPatients,
  splitFirst,
} from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { TrainError } from "./train-error.ts";
import { firstCases, slicesToVolumes } from "./volume-cases.ts";

/** What a run trains and validates on. */
export interface TrainData {
  /** Training samples (slices or volumes). */
  readonly train: Dataset;
  readonly split: Split;
  /** Labeled volumes scored during training (ACDC val.list; LA test.list as the official script does), if any. */
  readonly val: Dataset | undefined;
}

/**
 * Opens the datasets a config names and splits them: ACDC by patients (3 → 68 slices, 7 → 136), LA by the
 * first N volumes of train.list, phantoms like their real counterparts; validation sets are volumes.
 */
export async function openTrainData(config: TrainConfig): Promise<TrainData> {
  const d = config.data;
  const spec =
    d.labeledFraction !== undefined
      ? { labeledFraction: d.labeledFraction }
      : { labeledPatients: d.labeledPatients ?? 1 };
  const needRoot = () => {
    if (d.root === undefined) throw new TrainError("ERR_TRAIN_DATA", `data.root is required for data.kind "${d.kind}"`);
    return d.root;
  };
  let train: Dataset;
  let val: Dataset | undefined;
  let split: Split;
  switch (d.kind) {
    case "acdc": {
      train = await AcdcDataset.open(needRoot(), { split: "train", classes: config.classes });
      val = await AcdcDataset.open(needRoot(), { split: "val", classes: config.classes });
      split = splitByPatients(train.patients, spec);
      break;
    }
    case "la": {
      train = await LaDataset.open(needRoot(), { split: "train", classes: config.classes });
      // The official LA script selects its model on test.list (bcp-method.md §13.7); there is no val list.
      val = await LaDataset.open(needRoot(), { split: "test", classes: config.classes });
      split =
        "labeledFraction" in spec
          ? splitByPatients(train.patients, spec)
          : splitFirst(train.ids, Math.min(spec.labeledPatients, train.ids.length));
      break;
    }
    case "synth2d": {
      const size = d.synthSize ?? config.patchSize;
      train = new SynthDataset2d({ patients: d.synthPatients, size, seed: d.synthSeed });
      val = await slicesToVolumes(
        new SynthDataset2d({ patients: d.synthValPatients, size, seed: d.synthSeed + 1_000_003 }),
      );
      split = splitByPatients(train.patients, spec);
      break;
    }
    case "synth3d": {
      const size = d.synthSize ?? config.patchSize;
      train = new SynthDataset3d({ count: d.synthPatients, size, seed: d.synthSeed });
      val = new SynthDataset3d({ count: d.synthValPatients, size, seed: d.synthSeed + 1_000_003 });
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
  return { train, split, val: val === undefined ? undefined : firstCases(val, d.maxValCases) };
}
