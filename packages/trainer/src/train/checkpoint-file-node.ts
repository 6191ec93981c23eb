import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write-node.ts";
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from "./checkpoint.ts";
import { TrainError } from "./train-error.ts";

/** Writes a checkpoint file atomically (see writeFileAtomic): a crash leaves the previous file intact. */
export async function saveCheckpoint(
  path: string,
  ckpt: Checkpoint,
  shapes: Readonly<Record<string, readonly number[]>>,
): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(ckpt, shapes));
}

/** Reads a checkpoint file; ERR_CHECKPOINT_MISSING when absent, ERR_CHECKPOINT_FORMAT when malformed. */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TrainError("ERR_CHECKPOINT_MISSING", `loadCheckpoint: cannot read ${path}`, { cause: e });
  }
  return decodeCheckpoint(bytes);
}
