import { appendFile, mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-write-node.ts";
import type { Checkpoint } from "./checkpoint.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint-file-node.ts";
import type { ProgressSink } from "./progress-bar.ts";

/** The file system side of a run folder: checkpoints, the JSONL metrics log, the report. */
export interface RunIo {
  readonly dir: string;
  exists(name: string): Promise<boolean>;
  save(name: string, ckpt: Checkpoint, shapes: Readonly<Record<string, readonly number[]>>): Promise<void>;
  load(name: string): Promise<Checkpoint>;
  /** Appends one JSON object as a line to metrics.jsonl. */
  log(record: Readonly<Record<string, unknown>>): Promise<void>;
  /** Writes report.json atomically. */
  report(report: unknown): Promise<void>;
  readonly stderr: ProgressSink;
}

/** A run folder on the local disk (created if missing). */
export async function nodeRunIo(dir: string): Promise<RunIo> {
  await mkdir(dir, { recursive: true });
  const path = (name: string) => join(dir, name);
  return {
    dir,
    exists: (name) =>
      stat(path(name)).then(
        () => true,
        () => false,
      ),
    save: (name, ckpt, shapes) => saveCheckpoint(path(name), ckpt, shapes),
    load: (name) => loadCheckpoint(path(name)),
    log: (record) => appendFile(path("metrics.jsonl"), `${JSON.stringify(record)}\n`),
    report: (report) =>
      writeFileAtomic(path("report.json"), [new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`)]),
    stderr: process.stderr,
  };
}
