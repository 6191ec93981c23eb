// As a new user would: train a tiny run, `bcpseg export run -p int8`, then `bcpseg predict model.onnx image.png`.
// The model file is the one README, serve and the demo name (model-int8.onnx), the model comes first as in
// `serve`, and no command prints tfjs's console banner.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const BIN = fileURLToPath(new URL("../../bin/bcpseg.js", import.meta.url));
const FOREIGN = /TensorFlow\.js in Node\.js|={10,}/;

describe("export int8 -> predict model.onnx image.png", { skip: SLOW }, () => {
  let dir: string;
  let image: string;
  const bin = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  const cli = async (args: string[]) => {
    const io = captureIo(dir);
    return { code: await runCli(args, io, COMMANDS), out: io.out(), err: io.err() };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-export-predict-"));
    const synth = await cli(["data", "synth", "--out", "phantom", "--patients", "1", "--size", "32,32"]);
    assert.equal(synth.code, 0, synth.err);
    image = join("phantom", "images", (await readdir(join(dir, "phantom", "images")))[0]);
    const tiny = ["--preset", "synth2d", "--size", "32,32", "--width", "0.125", "--batch", "2", "--backend", "cpu"];
    const budget = ["--pretrain-iterations", "3", "--selftrain-iterations", "2", "--val-every", "0", "--quiet"];
    const train = await cli(["train", ...tiny, ...budget, "--out", "run"]);
    assert.equal(train.code, 0, train.err);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("export -p int8 writes <run>/model-int8.onnx and prints no tfjs banner", { timeout: 300_000 }, () => {
    const r = bin(["export", "run", "-p", "int8", "--calibration", "2"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /model-int8\.onnx: int8-static/);
    assert.ok(existsSync(join(dir, "run", "model-int8.onnx")));
    assert.doesNotMatch(r.stdout + r.stderr, FOREIGN);
  });

  it("predict takes the model first, as serve does, or as --model", { timeout: 300_000 }, async () => {
    const first = bin(["predict", join("run", "model-int8.onnx"), image, "-o", "labels"]);
    assert.equal(first.status, 0, first.stderr);
    assert.doesNotMatch(first.stdout + first.stderr, FOREIGN);
    assert.deepEqual(await readdir(join(dir, "labels")), [image.replace(/^.*\//, "").replace(/\.png$/, "_seg.png")]);
    const flag = await cli(["predict", "--model", join("run", "model-int8.onnx"), image, "-o", "labels-m"]);
    assert.equal(flag.code, 0, flag.err);
    assert.equal((await readdir(join(dir, "labels-m"))).length, 1);
    const fromCheckpoint = await cli(["predict", "run", image, "-o", "labels-ckpt", "--backend", "cpu"]);
    assert.equal(fromCheckpoint.code, 0, fromCheckpoint.err);
  });

  it("predict with a model and no image is a usage error (exit 2)", async () => {
    const r = await cli(["predict", join("run", "model-int8.onnx")]);
    assert.equal(r.code, 2);
    assert.match(r.err, /at least one image file or folder after run\/model-int8\.onnx/);
    const none = await cli(["predict"]);
    assert.equal(none.code, 2);
    assert.match(none.err, /give a model/);
  });
});
