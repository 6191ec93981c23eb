import { stat } from "node:fs/promises";
import { join } from "node:path";
import { inputError } from "../errors/cli-error.ts";

/** Checkpoint names in a run folder, best first. */
export const CHECKPOINT_ORDER = [
  "selftrain-best.safetensors",
  "pretrain-best.safetensors",
  "last.safetensors",
] as const;

/** A checkpoint file, or the best checkpoint of a run folder (self-train best, else pre-train best, else last). */
export async function findCheckpoint(path: string): Promise<string> {
  const kind = await stat(path).then(
    (s) => (s.isDirectory() ? "dir" : "file"),
    () => "none",
  );
  if (kind === "file") return path;
  if (kind === "none") throw inputError(`no such checkpoint or run folder: ${path}`);
  for (const name of CHECKPOINT_ORDER) {
    const p = join(path, name);
    if (
      await stat(p).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  throw inputError(`run folder ${path} has no checkpoint (${CHECKPOINT_ORDER.join(", ")})`);
}
