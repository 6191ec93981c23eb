import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { writeFileAtomic } from "./atomic-write-node.ts";
import { type Checkpoint, type CheckpointMeta, decodeCheckpoint, encodeCheckpoint } from "./checkpoint.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint-file-node.ts";
import { preset } from "./preset.ts";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.ts";

const dir = await mkdtemp(join(tmpdir(), "bcpseg-ckpt-"));
after(() => rm(dir, { recursive: true, force: true }));

const concat = (chunks: Uint8Array[]) => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

function sample(v: number): Checkpoint {
  const meta: CheckpointMeta = {
    format: "bcpseg-checkpoint",
    version: 1,
    stage: "selftrain",
    iteration: 7,
    config: preset("synth2d"),
    rng: { mask: [1, 2, 3, 4] },
    sampler: { rng: [5, 6, 7, 8], epoch: 2, batch: 1 },
    best: { pretrain: { dice: 0.5, iteration: 4 }, selftrain: null },
    lr: 0.01,
    seconds: { pretrain: 1, selftrain: 2 },
    history: [],
    backend: "cpu",
  };
  return {
    meta,
    student: { "a.weight": Float32Array.from([v, 2, 3, 4, 5, 6]), "a.num_batches_tracked": Int32Array.of(9) },
    teacher: { "a.weight": Float32Array.from([6, 5, 4, 3, 2, v]), "a.num_batches_tracked": Int32Array.of(8) },
    optimizer: { "a.weight": Float32Array.from([0.5, -0.5, 0, 0, 1e-30, v]) },
  };
}
const shapes = { "a.weight": [2, 3], "a.num_batches_tracked": [] };

describe("safetensors", () => {
  it("round-trips tensors and metadata with an 8-aligned header", () => {
    const chunks = encodeSafetensors({
      tensors: { x: { data: Float32Array.of(1.5, -2), shape: [2] }, n: { data: Int32Array.of(-3), shape: [] } },
      metadata: { k: "v" },
    });
    const bytes = concat(chunks);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    const back = decodeSafetensors(bytes);
    assert.deepEqual(back.metadata, { k: "v" });
    assert.deepEqual(Array.from(back.tensors.x.data), [1.5, -2]);
    assert.deepEqual(back.tensors.n.shape, []);
    assert.equal(back.tensors.n.data[0], -3);
  });

  it("rejects truncated or foreign bytes with ERR_CHECKPOINT_FORMAT", () => {
    const bytes = concat(encodeCheckpoint(sample(1), shapes));
    assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 3)), { code: "ERR_CHECKPOINT_FORMAT" });
    assert.throws(() => decodeCheckpoint(new Uint8Array(4)), { code: "ERR_CHECKPOINT_FORMAT" });
    const plain = concat(encodeSafetensors({ tensors: {}, metadata: {} }));
    assert.throws(() => decodeCheckpoint(plain), { code: "ERR_CHECKPOINT_FORMAT" });
  });
});

describe("checkpoint files", () => {
  it("round-trip student, teacher, optimizer and metadata exactly", async () => {
    const path = join(dir, "rt.safetensors");
    await saveCheckpoint(path, sample(1), shapes);
    const back = await loadCheckpoint(path);
    const ref = sample(1);
    assert.deepEqual(back.meta, ref.meta);
    assert.deepEqual(back.student, ref.student);
    assert.deepEqual(back.teacher, ref.teacher);
    assert.deepEqual(back.optimizer, ref.optimizer);
  });

  it("a failed write leaves the previous checkpoint intact and no temporary file", async () => {
    const path = join(dir, "atomic.safetensors");
    await saveCheckpoint(path, sample(1), shapes);
    const before = await readFile(path);
    function* failing() {
      yield new Uint8Array(1024).fill(7);
      throw new Error("disk full (simulated)");
    }
    await assert.rejects(writeFileAtomic(path, failing()), /disk full/);
    assert.deepEqual(await readFile(path), before);
    assert.equal((await loadCheckpoint(path)).student["a.weight"][0], 1);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith(".tmp")),
      [],
    );
    await saveCheckpoint(path, sample(2), shapes);
    assert.equal((await loadCheckpoint(path)).student["a.weight"][0], 2);
  });

  it("reports a missing file as ERR_CHECKPOINT_MISSING and garbage as ERR_CHECKPOINT_FORMAT", async () => {
    await assert.rejects(loadCheckpoint(join(dir, "nope.safetensors")), { code: "ERR_CHECKPOINT_MISSING" });
    await writeFile(join(dir, "junk.safetensors"), "not a checkpoint at all");
    await assert.rejects(loadCheckpoint(join(dir, "junk.safetensors")), { code: "ERR_CHECKPOINT_FORMAT" });
  });
});
