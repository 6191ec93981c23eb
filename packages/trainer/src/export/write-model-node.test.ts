import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { writeModelAtomic } from "./write-model-node.ts";

describe("writeModelAtomic", () => {
  it("writes, replaces, and leaves no temporary file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bcpseg-write-"));
    try {
      const path = join(dir, "model.onnx");
      await writeModelAtomic(path, Uint8Array.of(1, 2, 3));
      await writeModelAtomic(path, Uint8Array.of(4, 5));
      assert.deepEqual([...(await readFile(path))], [4, 5]);
      assert.deepEqual(await readdir(dir), ["model.onnx"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing folder is ERR_MODEL_WRITE and leaves nothing behind", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bcpseg-write-"));
    try {
      await assert.rejects(writeModelAtomic(join(dir, "nope", "m.onnx"), Uint8Array.of(1)), {
        code: "ERR_MODEL_WRITE",
      });
      assert.deepEqual(await readdir(dir), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
