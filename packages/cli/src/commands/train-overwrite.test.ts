// A new `bcpseg train` into a folder that holds a run is refused (exit 2) unless --resume or --overwrite says
// what to do with it; --overwrite starts over with the earlier run's files deleted first.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RUN_FILES } from "@bcpseg/trainer";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { existingRunFiles } from "../io/run-folder.ts";
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
  "--quiet",
];

describe("bcpseg train into a folder that holds a run", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-overwrite-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const bcpseg = async (args: string[]) => {
    const io = captureIo(dir);
    const code = await runCli(["train", ...args], io, COMMANDS);
    return { code, out: io.out(), err: io.err() };
  };

  it("is refused without --resume or --overwrite, and --overwrite replaces it", {
    skip: SLOW,
    timeout: 180_000,
  }, async () => {
    const first = await bcpseg([...TINY, "--out", "run", "--json"]);
    assert.equal(first.code, 0, first.err);
    const run = join(dir, "run");
    const files = await existingRunFiles(run);
    for (const name of [RUN_FILES.last, RUN_FILES.best("pretrain"), RUN_FILES.best("selftrain"), RUN_FILES.log]) {
      assert.ok(files.includes(name), `${name} missing from ${files.join(", ")}`);
    }
    await writeFile(join(run, "notes.txt"), "mine\n");
    const last = await readFile(join(run, RUN_FILES.last));

    const again = await bcpseg([...TINY, "--out", "run", "--seed", "7"]);
    assert.equal(again.code, 2);
    assert.equal(again.err.trimEnd().split("\n").length, 1, again.err);
    assert.match(again.err, /already holds a run \(last\.safetensors, .*--resume.*--overwrite.*\[ERR_USAGE\]/);
    assert.deepEqual(await readFile(join(run, RUN_FILES.last)), last, "the refused run touched last.safetensors");

    const replaced = await bcpseg([...TINY, "--out", "run", "--seed", "7", "--overwrite", "--json"]);
    assert.equal(replaced.code, 0, replaced.err);
    assert.equal(JSON.parse(replaced.out).status, "completed");
    assert.notDeepEqual(await readFile(join(run, RUN_FILES.last)), last);
    // The log is the new run's alone (train appends to metrics.jsonl), and files not of a run are kept.
    const log = (await readFile(join(run, RUN_FILES.log), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      log.filter((r) => r.event === "start").map((r) => r.seed),
      [7],
    );
    assert.equal(await readFile(join(run, "notes.txt"), "utf8"), "mine\n");
  });

  it("refuses --resume with --overwrite (exit 2)", async () => {
    const r = await bcpseg(["--out", "run", "--resume", "--overwrite"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--resume continues the run .* --overwrite replaces it/);
  });

  it("a folder with no run files is not a run", async () => {
    await writeFile(join(dir, "other.txt"), "x");
    assert.deepEqual(await existingRunFiles(dir), []);
    assert.deepEqual(await existingRunFiles(join(dir, "missing")), []);
  });
});
