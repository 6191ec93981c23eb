// `bcpseg eval`: which list it scores (--split, --list; the rule training used), the largest-component default per
// protocol (on for 3-D as the official LA test, off for 2-D), and usage errors for flags that do not apply.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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

  it("scores a run trained on onnxruntime without naming a tfjs backend", { timeout: 300_000 }, async () => {
    await tiny("synth2d", "run-ort", "32,32", ["--backend", "ort-cpu"]);
    const r = await ok(["eval", "run-ort", "--max-cases", "1", "--no-distances", "--json"]);
    assert.equal(r.cases.length, 1);
    assert.ok(r.mean.dice >= 0 && r.mean.dice <= 1, JSON.stringify(r.mean));
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

// What is deployed: a checkpoint and its fp32 export give the same numbers through the same pipeline; the int8
// export is scored the same way; JSON and CSV land beside the printed table.
interface Report {
  kind: string;
  precision?: string;
  unit: string;
  largestComponent: boolean;
  mean: { dice: number; hd95: number };
  cases: { id: string; dice: number; perClass: { dice: number; jaccard: number; hd95: number; asd: number }[] }[];
}

describe("bcpseg eval: checkpoint, fp32 and int8 exports", { skip: SLOW }, () => {
  let dir: string;
  const cli = async (args: string[]) => {
    const io = captureIo(dir);
    return { code: await runCli(args, io, COMMANDS), out: io.out(), err: io.err() };
  };
  const report = async (name: string): Promise<Report> => JSON.parse(await readFile(join(dir, "run", name), "utf8"));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-eval-"));
    const tiny = ["--preset", "synth2d", "--size", "32,32", "--width", "0.125", "--batch", "2", "--backend", "cpu"];
    const budget = ["--pretrain-iterations", "4", "--selftrain-iterations", "2", "--val-every", "0", "--quiet"];
    const train = await cli(["train", ...tiny, ...budget, "--out", "run"]);
    assert.equal(train.code, 0, train.err);
    for (const p of ["fp32", "int8"]) {
      const e = await cli(["export", "run", "-p", p, "--calibration", "2"]);
      assert.equal(e.code, 0, e.err);
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives a checkpoint and its fp32 export the same per-case numbers", { timeout: 600_000 }, async () => {
    const ckpt = await cli(["eval", "run", "--backend", "cpu", "--max-cases", "2"]);
    assert.equal(ckpt.code, 0, ckpt.err);
    assert.match(ckpt.out, /class\s+Dice\s+Jaccard\s+HD95 \(vox\)/);
    assert.match(ckpt.err, /eval: val cases from synth2d validation split \(2\)/);
    const onnx = await cli(["eval", join("run", "model-fp32.onnx"), "--max-cases", "2"]);
    assert.equal(onnx.code, 0, onnx.err);
    const a = await report("eval-selftrain-best-val.json");
    const b = await report("eval-model-fp32-val.json");
    assert.equal(a.kind, "checkpoint");
    assert.equal(b.kind, "onnx");
    assert.equal(b.precision, "fp32");
    assert.equal(a.largestComponent, false); // the 2-D contract: no largest component, as the ACDC test
    assert.equal(a.cases.length, 2);
    for (const [i, c] of a.cases.entries()) {
      assert.equal(b.cases[i].id, c.id);
      for (const [k, m] of c.perClass.entries()) {
        const o = b.cases[i].perClass[k];
        for (const key of ["dice", "jaccard", "hd95", "asd"] as const) {
          if (Number.isNaN(m[key]) || m[key] === null) assert.ok(o[key] === null || Number.isNaN(o[key]));
          else
            assert.ok(Math.abs(m[key] - o[key]) < 1e-9, `case ${c.id} class ${k + 1} ${key}: ${m[key]} vs ${o[key]}`);
        }
      }
    }
    const csv = (await readFile(join(dir, "run", "eval-model-fp32-val.csv"), "utf8")).trim().split("\n");
    assert.equal(csv[0], "case,class,name,dice,jaccard,hd95_voxel,asd_voxel");
    assert.equal(csv.length, 1 + 2 * 3 + 3 + 1); // 2 cases x 3 classes, 3 class means, the overall mean
    assert.match(csv.at(-1) ?? "", /^mean,all,mean,/);
  });

  it("scores the int8 export, in mm with --spacing, with the largest component on request", {
    timeout: 600_000,
  }, async () => {
    const r = await cli([
      "eval",
      join("run", "model-int8.onnx"),
      "--max-cases",
      "1",
      "--spacing",
      "5,1.5,1.5",
      "--largest-component",
      "--json",
    ]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as Report & { files: { json: string } };
    assert.equal(j.precision, "int8-static");
    assert.equal(j.unit, "mm");
    assert.equal(j.largestComponent, true);
    assert.ok(j.mean.dice >= 0 && j.mean.dice <= 1);
    assert.deepEqual(JSON.parse(await readFile(j.files.json, "utf8")).mean, j.mean);
  });

  it("refuses a test split of phantoms, a bad spacing and a model without training metadata", async () => {
    const test = await cli(["eval", "run", "--split", "test"]);
    assert.equal(test.code, 2);
    assert.match(test.err, /apply to acdc and la/);
    const sp = await cli(["eval", "run", "--spacing", "1,x,1"]);
    assert.equal(sp.code, 2);
    await writeFile(join(dir, "junk.onnx"), new Uint8Array([1, 2, 3]));
    const junk = await cli(["eval", "junk.onnx"]);
    assert.equal(junk.code, 3);
    assert.match(junk.err, /ERR_MODEL_FORMAT|not an ONNX model/);
  });
});
