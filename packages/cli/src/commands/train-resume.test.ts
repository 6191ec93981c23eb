// `bcpseg train --out <run> --resume`: continues with the run's own config when no training flags are given.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const TINY = [
  "--preset",
  "synth2d",
  "--size",
  "32,32",
  "--width",
  "0.125",
  "--batch",
  "2",
  "--pretrain-iterations",
  "3",
  "--selftrain-iterations",
  "2",
  "--val-every",
  "0",
  "--backend",
  "cpu",
];

describe("bcpseg train --resume", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-resume-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("continues a stopped run with the config stored in its checkpoint", { skip: SLOW, timeout: 120_000 }, async () => {
    const run = async (args: string[]) => {
      const io = captureIo(dir);
      const code = await runCli(["train", ...args, "--quiet", "--json"], io, COMMANDS);
      return { code, io };
    };
    const first = await run([...TINY, "--out", "run", "--max-iterations", "2"]);
    assert.equal(first.code, 0, first.io.err());
    assert.deepEqual([JSON.parse(first.io.out()).status, JSON.parse(first.io.out()).iteration], ["stopped", 2]);
    // --dry-run shows what the resumption will train: the stored config, not the synth2d preset's.
    const dry = await run(["--out", "run", "--resume", "--dry-run"]);
    assert.equal(dry.code, 0, dry.io.err());
    const config = JSON.parse(dry.io.out()).config;
    assert.deepEqual([config.patchSize, config.model.width, config.pretrain.iterations], [[32, 32], 0.125, 3]);
    const second = await run(["--out", "run", "--resume"]);
    assert.equal(second.code, 0, second.io.err());
    const r = JSON.parse(second.io.out());
    assert.deepEqual([r.status, r.stage, r.iteration], ["completed", "selftrain", 2]);
  });

  it("without a checkpoint to resume and without a config, says so (exit 2) instead of starting a default run", async () => {
    const io = captureIo(dir);
    const code = await runCli(["train", "--out", "nothing-here", "--resume"], io, COMMANDS);
    assert.equal(code, 2);
    assert.match(io.err(), /no last\.safetensors to resume/);
  });

  it("with training flags, checks them against the checkpoint (ERR_CHECKPOINT_MISMATCH, exit 1)", {
    skip: SLOW,
    timeout: 120_000,
  }, async () => {
    const io = captureIo(dir);
    const code = await runCli(["train", ...TINY, "--out", "run", "--seed", "7", "--resume", "--quiet"], io, COMMANDS);
    assert.notEqual(code, 0);
    assert.match(io.err(), /different training config/);
  });
});
