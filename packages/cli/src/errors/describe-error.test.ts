import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArgumentError, BcpError, ShapeError } from "@bcpseg/core";
import { CliError, inputError, usageError } from "./cli-error.ts";
import { describeError, oneLine } from "./describe-error.ts";

const coded = (name: string, code: string, message = "m") => Object.assign(new Error(message), { name, code });

describe("describeError", () => {
  it("maps the packages' coded errors to exit codes", () => {
    const table: Array<[unknown, number, string]> = [
      [usageError("u"), 2, "ERR_USAGE"],
      [inputError("i"), 3, "ERR_INPUT"],
      [new CliError("ERR_RUNTIME", "r"), 1, "ERR_RUNTIME"],
      [new ShapeError("f", "a", "bad"), 3, "ERR_SHAPE"],
      [new ArgumentError("f", "a", "bad"), 2, "ERR_ARGUMENT"],
      [new BcpError("ERR_FORMAT", "not a PNG"), 3, "ERR_FORMAT"],
      [coded("DataError", "ERR_DATA_UNREADABLE"), 3, "ERR_DATA_UNREADABLE"],
      [coded("DataError", "ERR_DATA_LABEL_VALUES"), 3, "ERR_DATA_LABEL_VALUES"],
      [coded("TrainError", "ERR_TRAIN_DIVERGED"), 1, "ERR_TRAIN_DIVERGED"],
      [coded("TrainError", "ERR_CHECKPOINT_MISMATCH"), 2, "ERR_CHECKPOINT_MISMATCH"],
      [coded("TrainError", "ERR_CHECKPOINT_FORMAT"), 3, "ERR_CHECKPOINT_FORMAT"],
      [coded("TrainError", "ERR_TRAIN_BACKEND"), 2, "ERR_TRAIN_BACKEND"],
      [coded("ExportError", "ERR_MODEL_CORRUPT"), 3, "ERR_MODEL_CORRUPT"],
      [coded("ExportError", "ERR_MODEL_WRITE"), 1, "ERR_MODEL_WRITE"],
      [coded("ModelLoadError", "ERR_MODEL_CONTRACT"), 3, "ERR_MODEL_CONTRACT"],
      [coded("ZodError", "x"), 2, "ERR_CONFIG"],
      [new Error("boom"), 1, "ERR_INTERNAL"],
      ["a string", 1, "ERR_INTERNAL"],
    ];
    for (const [e, exit, code] of table) {
      const d = describeError(e);
      assert.equal(d.exit, exit, code);
      assert.equal(d.code, code);
    }
  });

  it("names the path of a missing file", () => {
    const e = Object.assign(new Error("ENOENT: no such file or directory, open 'x.yaml'"), {
      code: "ENOENT",
      path: "x.yaml",
    });
    assert.deepEqual(describeError(e), { exit: 3, code: "ENOENT", message: "no such file or folder: x.yaml" });
  });

  it("keeps messages to one bounded line", () => {
    assert.equal(oneLine("a\n  b\nc"), "a; b; c");
    assert.equal(oneLine("x".repeat(1000)).length, 400);
  });
});
