// `bcpseg eval`: which list it scores (--split, --list; the rule training used), the largest-component default per
// protocol (on for 3-D as the official LA test, off for 2-D), and usage errors for flags that do not apply.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sharedDataFolder } from "../../../../bench/lib/shared-data.ts";
import { captureIo } from "../cli/capture-io.test-util.ts";
import { runCli } from "../cli/run-cli.ts";
import { COMMANDS } from "./index.ts";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const dataRoot = sharedDataFolder();
const NO_LA = existsSync(join(dataRoot, "LA", "train.list")) ? false : `no LA data at ${dataRoot} (set BCPSEG_DATA)`;

// One window per patch and one validation case, so the real-data run takes seconds.
const FAST_LA = ["--set", "validation.stride=[32,32,32]", "--set", "data.maxValCases=1"];

describe("bcpseg eval", { skip: SLOW }, () => {
  let dir: string;
  const bcpseg = async (args: string[]) => {
    const io = captureIo(dir);
    const code = await runCli(args, io, COMMANDS);
    return { code, out: io.out(), err: io.err() };
  };
  const ok = async (args: string[]) => {
    const r = await bcpseg(args);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out);
  };
  const tiny = (preset: string, out: string, size: string, extra: string[] = []) =>
    ok([
      "train",
      "--preset",
      preset,
      "--out",
      out,
      "--size",
      size,
      "--width",
      "0.125",
      "--batch",
      "2",
      "--pretrain-iterations",
      "1",
      "--selftrain-iterations",
      "0",
      "--val-every",
      "0",
      "--quiet",
      "--json",
      ...extra,
    ]);
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-eval-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("3-D: keeps the largest component by default, --no-largest-component skips it", { timeout: 300_000 }, async () => {
    await tiny("synth3d", "run-3d", "16,16,16");
    const on = await ok(["eval", "run-3d", "--no-distances", "--json"]);
    assert.equal(on.largestComponent, true);
    const off = await ok(["eval", "run-3d", "--no-distances", "--no-largest-component", "--json"]);
    assert.equal(off.largestComponent, false);
    assert.ok(Number.isFinite(on.mean.dice) && Number.isFinite(off.mean.dice));
    // --split test and --list name list files of the ACDC / LA layouts; a synthetic run has none.
    const r = await bcpseg(["eval", "run-3d", "--split", "test", "--json"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--split test and --list apply to acdc and la/);
    const both = await bcpseg(["eval", "run-3d", "--largest-component", "--no-largest-component"]);
    assert.equal(both.code, 2);
    const bad = await bcpseg(["eval", "run-3d", "--split", "train"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--split must be val or test/);
  });

  it("2-D: no largest component unless asked", { timeout: 300_000 }, async () => {
    await tiny("synth2d", "run-2d", "32,32");
    assert.equal((await ok(["eval", "run-2d", "--no-distances", "--json"])).largestComponent, false);
    assert.equal(
      (await ok(["eval", "run-2d", "--no-distances", "--largest-component", "--json"])).largestComponent,
      true,
    );
  });

  it("LA as shipped: scores val.list by rule, --list names another, --split test says what is missing", {
    skip: NO_LA,
    timeout: 600_000,
  }, async () => {
    const la = join(dataRoot, "LA");
    await tiny("la", "run-la", "32,32,32", ["--data-root", la, "--labeled-patients", "2", ...FAST_LA]);
    const r = await ok(["eval", "run-la", "--max-cases", "1", "--no-distances", "--json"]);
    assert.equal(r.list, existsSync(join(la, "test.list")) ? "test.list" : "val.list");
    assert.equal(r.largestComponent, true);
    assert.equal(r.cases.length, 1);
    const byList = await ok(["eval", "run-la", "--list", "train.list", "--max-cases", "1", "--no-distances", "--json"]);
    assert.equal(byList.list, "train.list");
    if (!existsSync(join(la, "test.list"))) {
      const t = await bcpseg(["eval", "run-la", "--split", "test", "--json"]);
      assert.notEqual(t.code, 0);
      assert.match(t.err, /test\.list/);
      assert.match(t.err, /ERR_DATA_MISSING/);
    }
  });
});
