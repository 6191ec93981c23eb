import { chooseList, pathKind } from "../data/fs-node.ts";
import { AcdcDataset, DataError, type Dataset, LaDataset } from "../data/index.ts";
import type { TrainConfig } from "./config.ts";
import { openTrainData, VAL_LISTS } from "./open-data.ts";
import { TrainError } from "./train-error.ts";
import { firstCases } from "./volume-cases.ts";

/** Which cases {@link openEvalData} opens. */
export interface EvalDataOptions {
  /** "val": the list training validates on (ACDC val.list; LA test.list, else val.list); "test": test.list. */
  readonly split?: "val" | "test";
  /** A list file (relative to the root, or absolute) instead of the split's. */
  readonly list?: string;
  /** Score at most this many cases (0 or absent: all). */
  readonly maxCases?: number;
}

/** The cases to score and where their names came from. */
export interface EvalData {
  readonly cases: Dataset;
  /** The list file read (ACDC, LA); undefined for synthetic and folder data (their validation split). */
  readonly list?: string;
}

/**
 * Opens the labeled volumes of a split of `config.data`: ACDC and LA by list file (`list`, else the split's rule),
 * NIfTI / PNG folders and phantoms by the validation split training uses (they have no test split). A missing
 * list is ERR_DATA_MISSING naming the file and what the root has instead.
 */
export async function openEvalData(config: TrainConfig, options: EvalDataOptions = {}): Promise<EvalData> {
  const d = config.data;
  const split = options.split ?? "val";
  let cases: Dataset;
  let list: string | undefined;
  if (d.kind === "acdc" || d.kind === "la") {
    if (d.root === undefined) throw new TrainError("ERR_TRAIN_DATA", `data.root is required for data.kind "${d.kind}"`);
    const root = d.root;
    const candidates = split === "test" ? ["test.list"] : VAL_LISTS[d.kind];
    const override = options.list ?? (split === "val" ? d.valList : undefined);
    const hint = override === undefined ? await missingHint(root, split) : "";
    list = await chooseList(root, candidates, override, hint).catch((e: unknown) => {
      if (!(e instanceof DataError) || e.code !== "ERR_DATA_MISSING") throw e;
      throw new DataError("ERR_DATA_MISSING", `no ${split} list: looked for ${candidates.join(", ")}; ${hint}`, {
        file: root,
      });
    });
    const open = { split: "val" as const, list, classes: config.classes };
    cases = d.kind === "acdc" ? await AcdcDataset.open(root, open) : await LaDataset.open(root, open);
  } else {
    if (split === "test" || options.list !== undefined) {
      throw new TrainError(
        "ERR_TRAIN_DATA",
        `data.kind "${d.kind}" has only its validation split; evaluate it without --split test and --list`,
      );
    }
    const { val } = await openTrainData({ ...config, data: { ...d, maxValCases: 0 } });
    if (!val) throw new TrainError("ERR_TRAIN_DATA", `data.kind "${d.kind}" gave no validation cases`);
    cases = val;
  }
  return { cases: firstCases(cases, options.maxCases ?? 0), ...(list === undefined ? {} : { list }) };
}

/** What would work instead of a missing list: the lists the root has. */
async function missingHint(root: string, split: "val" | "test"): Promise<string> {
  const have: string[] = [];
  for (const name of ["train.list", "train_slices.list", "val.list", "test.list"]) {
    if ((await pathKind(`${root}/${name}`)) === "file") have.push(name);
  }
  const other = split === "test" ? (have.includes("val.list") ? "--split val" : undefined) : undefined;
  return `the root has ${have.length ? have.join(", ") : "no list files"}; ${[other, "--list <file>"].filter(Boolean).join(" or ")} would work`;
}
