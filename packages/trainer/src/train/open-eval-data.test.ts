import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { TrainConfigSchema } from "./config.ts";
import { openEvalData } from "./open-eval-data.ts";
import { preset } from "./preset.ts";

const DATA = fileURLToPath(new URL("../../../../../shared/data", import.meta.url));
const ACDC = join(DATA, "ACDC");
const LA = join(DATA, "LA");
const real = existsSync(ACDC) && existsSync(LA) ? false : `no real data at ${DATA}`;
const config = (name: "acdc" | "la", root: string) =>
  TrainConfigSchema.parse({ ...preset(name), data: { ...preset(name).data, root } });

describe("openEvalData on the shipped layouts", { skip: real }, () => {
  let dir: string | undefined;
  after(async () => dir && (await rm(dir, { recursive: true, force: true })));

  it("ACDC: val.list by rule; --split test names the missing test.list and what would work", async () => {
    const v = await openEvalData(config("acdc", ACDC), { maxCases: 2 });
    assert.equal(v.list, "val.list");
    assert.equal(v.cases.ids.length, 2);
    await assert.rejects(openEvalData(config("acdc", ACDC), { split: "test" }), (e: Error & { code?: string }) => {
      assert.equal(e.code, "ERR_DATA_MISSING");
      assert.match(e.message, /looked for test\.list/);
      assert.match(e.message, /train_slices\.list, val\.list/);
      assert.match(e.message, /--split val or --list <file>/);
      return true;
    });
  });

  it("LA (train.list + val.list): val.list by rule, test refused; --list reads any list", async () => {
    const v = await openEvalData(config("la", LA), { maxCases: 1 });
    assert.equal(v.list, "val.list");
    await assert.rejects(openEvalData(config("la", LA), { split: "test" }), { code: "ERR_DATA_MISSING" });
    dir = await mkdtemp(join(tmpdir(), "bcpseg-eval-list-"));
    const list = join(dir, "two.list");
    const ids = (await openEvalData(config("la", LA), { maxCases: 0 })).cases.ids;
    await writeFile(list, `${ids.slice(0, 2).join("\n")}\n`);
    const two = await openEvalData(config("la", LA), { list });
    assert.deepEqual(two.cases.ids, ids.slice(0, 2));
    assert.equal(two.list, list);
  });
});

describe("openEvalData on phantoms", () => {
  it("scores the validation split and refuses a test split or a list (ERR_TRAIN_DATA)", async () => {
    const c = TrainConfigSchema.parse({
      ...preset("synth2d"),
      patchSize: [32, 32],
      data: { ...preset("synth2d").data, synthSize: [32, 32], synthValPatients: 1 },
    });
    const v = await openEvalData(c);
    assert.ok(v.cases.ids.length >= 1);
    assert.equal(v.list, undefined);
    await assert.rejects(openEvalData(c, { split: "test" }), { code: "ERR_TRAIN_DATA" });
    await assert.rejects(openEvalData(c, { list: "x.list" }), { code: "ERR_TRAIN_DATA" });
  });
});
