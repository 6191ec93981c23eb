import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deepMerge, preset } from "@bcpseg/trainer";
import type { AnyFlagValues } from "../cli/command.ts";
import { buildTrainConfig } from "./build-train-config.ts";
import { parseConfigText } from "./read-config-file.ts";
import { setPath } from "./set-path.ts";
import { trainFlagOverrides } from "./train-flags.ts";

const lib = { preset, deepMerge };
const flags = (v: AnyFlagValues) => trainFlagOverrides(v, deepMerge);

describe("training config: preset < file < flags", () => {
  it("merges in depth and resolves paths (file paths against the file, flags against cwd)", () => {
    const doc = parseConfigText(
      "preset: acdc\ndata:\n  root: ../data/ACDC\n  labeledPatients: 3\npretrain:\n  iterations: 50\n",
      "/cfg/a.yaml",
    );
    const c = buildTrainConfig(lib, {
      file: { path: "/cfg/a.yaml", doc },
      flags: flags({ "pretrain-iterations": "7", backend: "wasm", out: "runs/x", set: ["selftrain.lr=0.05"] }),
      cwd: "/srv/project",
    });
    assert.equal(c.data.kind, "acdc");
    assert.equal(c.data.root, "/data/ACDC");
    assert.equal(c.data.labeledPatients, 3);
    assert.equal(c.pretrain.iterations, 7); // flag beats file
    assert.equal(c.selftrain.iterations, 30_000); // preset kept
    assert.equal(c.selftrain.lr, 0.05);
    assert.equal(c.backend, "wasm");
    assert.equal(c.outDir, "/srv/project/runs/x");
  });

  it("reads JSON as well as YAML", () => {
    assert.deepEqual(parseConfigText('{"seed": 3}', "c.json"), { seed: 3 });
    assert.deepEqual(parseConfigText("seed: 3", "c.yml"), { seed: 3 });
    assert.deepEqual(parseConfigText("", "c.yml"), {});
  });

  it("a split given one way replaces the preset's other way", () => {
    const c = buildTrainConfig(lib, { flags: flags({ "labeled-patients": "2" }), cwd: "/" });
    assert.equal(c.data.labeledPatients, 2);
    assert.equal(c.data.labeledFraction, undefined);
  });

  it("size and batch flags set both patch and phantom size", () => {
    const c = buildTrainConfig(lib, { flags: flags({ size: "32,32", batch: "2" }), cwd: "/" });
    assert.deepEqual(c.patchSize, [32, 32]);
    assert.deepEqual(c.data.synthSize, [32, 32]);
    assert.deepEqual(c.batch, { labeled: 2, unlabeled: 2 });
  });

  it("bad configs are one ERR_CONFIG line with paths", () => {
    const bad = [
      { flags: flags({ set: ["pretrain.iterations=-1"] }), re: /pretrain\.iterations/ },
      { flags: flags({ size: "30,30" }), re: /patchSize/ },
      { flags: { bogus: 1 }, re: /bogus|Unrecognized/ },
      { preset: "nope", re: /preset must be one of/ },
    ];
    for (const b of bad) {
      assert.throws(
        () => buildTrainConfig(lib, { preset: b.preset, flags: b.flags, cwd: "/" }),
        (e: Error & { code: string; kind: string }) =>
          e.code === "ERR_CONFIG" && e.kind === "usage" && b.re.test(e.message) && !e.message.includes("\n"),
      );
    }
  });

  it("flag values are checked before the schema sees them", () => {
    assert.throws(() => flags({ seed: "x" }), { code: "ERR_USAGE" });
    assert.throws(() => flags({ size: "a,b" }), { code: "ERR_USAGE" });
    assert.throws(() => flags({ "pretrain-iterations": "1.5" }), { code: "ERR_USAGE" });
  });
});

describe("setPath", () => {
  it("builds nested objects and parses YAML scalars", () => {
    assert.deepEqual(setPath("a.b.c=3"), { a: { b: { c: 3 } } });
    assert.deepEqual(setPath("x=[1, 2]"), { x: [1, 2] });
    assert.deepEqual(setPath("flag=true"), { flag: true });
    assert.deepEqual(setPath("name=hello"), { name: "hello" });
    assert.throws(() => setPath("novalue"), { code: "ERR_USAGE" });
    assert.throws(() => setPath("a..b=1"), { code: "ERR_USAGE" });
  });
});
