import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { sharedDataFolder } from "../../../../bench/lib/shared-data.ts";
import { DataError } from "../data/data-error.ts";
import { openTrainData, VAL_LISTS } from "./open-data.ts";
import { preset } from "./preset.ts";

// Which list validates a run: LA roots with test.list, val.list, both or neither; ACDC with val.list or without.
// Lists only: the datasets read their volumes on first use, so no HDF5 files are needed to choose.
let root: string;
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join("\n");

async function laRoot(name: string, lists: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(lists)) await writeFile(join(dir, file), `${text}\n`);
  return dir;
}

const la = (dir: string, valList?: string) =>
  openTrainData(preset("la", { data: { root: dir, labeledPatients: 4, ...(valList ? { valList } : {}) } }));

before(async () => {
  root = await mkdtemp(join(tmpdir(), "bcpseg-lists-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("validation list by rule", () => {
  it("LA: test.list when present (the official script's choice), else val.list", async () => {
    const both = await laRoot("both", {
      "train.list": ids("t", 12),
      "test.list": ids("x", 3),
      "val.list": ids("v", 2),
    });
    const a = await la(both);
    assert.equal(a.valList, "test.list");
    assert.deepEqual(a.val?.ids, ["x0", "x1", "x2"]);
    const valOnly = await laRoot("val-only", { "train.list": ids("t", 12), "val.list": ids("v", 2) });
    const b = await la(valOnly);
    assert.equal(b.valList, "val.list");
    assert.deepEqual(b.val?.ids, ["v0", "v1"]);
    assert.deepEqual(VAL_LISTS.la, ["test.list", "val.list"]);
  });

  it("an explicit data.valList wins over the rule", async () => {
    const dir = await laRoot("override", { "train.list": ids("t", 12), "test.list": ids("x", 3), "mine.list": "m7" });
    const r = await la(dir, "mine.list");
    assert.equal(r.valList, "mine.list");
    assert.deepEqual(r.val?.ids, ["m7"]);
  });

  it("no list at all: ERR_DATA_MISSING naming every candidate and what would work instead", async () => {
    const dir = await laRoot("none", { "train.list": ids("t", 12) });
    await assert.rejects(la(dir), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.code, "ERR_DATA_MISSING");
      assert.match(e.message, /test\.list, val\.list/);
      assert.match(e.message, /--val-list/);
      return true;
    });
  });

  it("a named list that does not exist is reported by its own path", async () => {
    const dir = await laRoot("bad-override", { "train.list": ids("t", 12), "val.list": "v0" });
    await assert.rejects(la(dir, "nope.list"), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.code, "ERR_DATA_MISSING");
      assert.match(e.message, /nope\.list/);
      return true;
    });
  });
});

// The layout that ships beside the project (../shared/data): LA has train.list + val.list, ACDC no test.list.
const dataRoot = sharedDataFolder();
const skip = existsSync(join(dataRoot, "LA", "train.list"))
  ? false
  : `no real data at ${dataRoot} (set BCPSEG_DATA to the folder holding ACDC/ and LA/)`;

describe("the shipped data layouts", { skip }, () => {
  it("LA (train.list + val.list) validates on val.list; ACDC on val.list", async () => {
    const l = await la(join(dataRoot, "LA"));
    assert.equal(l.valList, existsSync(join(dataRoot, "LA", "test.list")) ? "test.list" : "val.list");
    assert.ok((l.val?.length ?? 0) > 0);
    const a = await openTrainData(preset("acdc", { data: { root: join(dataRoot, "ACDC"), labeledPatients: 3 } }));
    assert.equal(a.valList, "val.list");
    assert.ok((a.val?.length ?? 0) > 0);
  });
});
