import { rm, stat } from "node:fs/promises";
import { join } from "node:path";

// What `bcpseg train` writes into a run folder: the trainer's RUN_FILES and the plots of write-run-plots.ts.
const TRAIN_FILES = [
  "last.safetensors",
  "pretrain-best.safetensors",
  "selftrain-best.safetensors",
  "metrics.jsonl",
  "report.json",
  "curves.svg",
  "dice.svg",
  "curves.png", // written by versions before the charts became SVG only
  "dice.png",
] as const;

/** The files of an earlier training run found in `dir` (empty when there is none or `dir` is missing). */
export async function existingRunFiles(dir: string): Promise<string[]> {
  const found = await Promise.all(
    TRAIN_FILES.map((name) =>
      stat(join(dir, name)).then(
        (s) => (s.isFile() ? name : undefined),
        () => undefined,
      ),
    ),
  );
  return found.filter((name) => name !== undefined);
}

/** Deletes the files an earlier training run wrote into `dir`; other files (exported models, notes) stay. */
export async function removeRunFiles(dir: string): Promise<void> {
  await Promise.all(TRAIN_FILES.map((name) => rm(join(dir, name), { force: true })));
}
