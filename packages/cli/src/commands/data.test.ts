import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

describe("bcpseg data", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-data-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("synth writes a PNG phantom set that inspect reads without problems", async () => {
    const io = captureIo(dir);
    assert.equal(
      await runCli(["data", "synth", "--out", "phantom", "--patients", "2", "--size", "32,32"], io, COMMANDS),
      0,
      io.err(),
    );
    assert.equal((await readdir(join(dir, "phantom", "images"))).length, 20);
    const js = captureIo(dir);
    assert.equal(await runCli(["data", "inspect", "phantom", "--json"], js, COMMANDS), 0, js.err());
    const report = JSON.parse(js.out());
    assert.equal(report.layout, "png");
    assert.equal(report.splits[0].samples, 20);
    assert.deepEqual(report.splits[0].shapeMin, [32, 32]);
    assert.deepEqual(report.splits[0].labelValues, [0, 1, 2, 3]);
    assert.deepEqual(report.problems, []);
  });

  it("split labels whole patients", async () => {
    const io = captureIo(dir);
    assert.equal(
      await runCli(["data", "split", "phantom", "--labeled-patients", "1", "--json"], io, COMMANDS),
      0,
      io.err(),
    );
    const split = JSON.parse(io.out());
    assert.equal(split.labeled.length, 10);
    assert.equal(split.unlabeled.length, 10);
  });

  it("synth 3d writes NIfTI pairs", async () => {
    const io = captureIo(dir);
    assert.equal(
      await runCli(
        ["data", "synth", "-o", "blobs", "--kind", "3d", "--patients", "2", "--size", "16,16,16", "--json"],
        io,
        COMMANDS,
      ),
      0,
    );
    assert.equal(JSON.parse(io.out()).layout, "decathlon");
    assert.equal((await readdir(join(dir, "blobs", "labelsTr"))).length, 2);
  });

  it("inspect reports a broken file and exits 3", async () => {
    await writeFile(join(dir, "phantom", "images", "patient009_slice00.png"), "not a png");
    const io = captureIo(dir);
    assert.equal(await runCli(["data", "inspect", "phantom"], io, COMMANDS), 3);
    assert.match(io.out(), /problem ERR_/);
  });

  it("bad usage exits 2", async () => {
    const io = captureIo(dir);
    assert.equal(await runCli(["data", "synth"], io, COMMANDS), 2);
    assert.equal(await runCli(["data", "synth", "-o", "x", "--kind", "4d"], io, COMMANDS), 2);
    assert.equal(await runCli(["data", "split", "phantom"], io, COMMANDS), 2);
  });
});
