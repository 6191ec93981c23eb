import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deepMerge } from "@bcpseg/trainer";
import { z } from "zod";
import { schemaFlags } from "./schema-flags.ts";
import { TRAIN_CONFIG_OPTIONS, trainFlagOverrides } from "./train-flags.ts";

describe("train flags from the config schema", () => {
  it("are the flagged fields of TrainConfigSchema, in schema order, with the trainer's help text", () => {
    const flags = schemaFlags();
    assert.deepEqual(
      flags.map((f) => f.name),
      [
        "data-kind",
        "data-root",
        "val-root",
        "labeled-patients",
        "labeled-fraction",
        "val-list",
        "width",
        "classes",
        "size",
        "batch",
        "pretrain-iterations",
        "selftrain-iterations",
        "val-every",
        "seed",
        "backend",
        "threads",
        "out",
        "max-iterations",
        "max-seconds",
      ],
    );
    const byName = Object.fromEntries(flags.map((f) => [f.name, f]));
    assert.deepEqual(byName.size.paths, [["patchSize"], ["data", "synthSize"]]);
    assert.deepEqual(byName["pretrain-iterations"].paths, [["pretrain", "iterations"]]);
    assert.equal(byName["pretrain-iterations"].option.description, "Pre-training iterations");
    assert.equal(byName.out.option.short, "o");
    assert.equal(TRAIN_CONFIG_OPTIONS["data-kind"].defaultText, "the preset's");
    assert.deepEqual(Object.keys(TRAIN_CONFIG_OPTIONS).slice(0, 2), ["config", "preset"]);
  });

  it("follow the schema: a field given flag metadata becomes a flag, prefixed by its objects", () => {
    const stage = z.object({
      steps: z.number().int().min(0).meta({ flag: "steps", placeholder: "n", description: "steps" }),
    });
    const schema = z.object({
      warm: stage.meta({ flagPrefix: "warm-", flagTitle: "Warm-up" }),
      name: z.string().optional(),
    });
    const flags = schemaFlags(schema);
    assert.deepEqual(
      flags.map((f) => [f.name, f.paths, f.option.description]),
      [["warm-steps", [["warm", "steps"]], "Warm-up steps"]],
    );
  });

  it("parse values by the field's type and send them to every path", () => {
    const o = trainFlagOverrides({ size: "32,48", batch: "4", threads: "auto", "labeled-fraction": "0.25" }, deepMerge);
    assert.deepEqual(o, {
      patchSize: [32, 48],
      data: { synthSize: [32, 48], labeledFraction: 0.25 },
      batch: { labeled: 4, unlabeled: 4 },
      threads: "auto",
    });
    assert.deepEqual(trainFlagOverrides({ threads: "3", "data-kind": "png", "val-list": "my.list" }, deepMerge), {
      threads: 3,
      data: { kind: "png", valList: "my.list" },
    });
    assert.throws(() => trainFlagOverrides({ classes: "1" }, deepMerge), {
      code: "ERR_USAGE",
      message: /--classes must be >= 2/,
    });
    assert.throws(() => trainFlagOverrides({ threads: "two" }, deepMerge), { code: "ERR_USAGE" });
  });
});
