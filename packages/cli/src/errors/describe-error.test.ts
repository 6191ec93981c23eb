import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArgumentError, BcpError, ContractError, FormatError, ShapeError } from "@bcpseg/core";
import { ModelLoadError } from "@bcpseg/edge-api";
import { BackendUnavailableError, DataError, ExportError, TrainError } from "@bcpseg/trainer";
import { z } from "zod";
import { CliError, inputError, usageError } from "./cli-error.ts";
import { describeError, oneLine } from "./describe-error.ts";

const zodError = z.object({ a: z.number() }).safeParse({ a: "x" }).error;

describe("describeError", () => {
  it("maps the packages' coded errors to exit codes", () => {
    const table: Array<[unknown, number, string]> = [
      [usageError("u"), 2, "ERR_USAGE"],
      [inputError("i"), 3, "ERR_INPUT"],
      [new CliError("ERR_RUNTIME", "r"), 1, "ERR_RUNTIME"],
      [new ShapeError("f", "a", "bad"), 3, "ERR_SHAPE"],
      [new ArgumentError("f", "a", "bad"), 2, "ERR_ARGUMENT"],
      [new BcpError("ERR_FORMAT", "not a PNG"), 3, "ERR_FORMAT"],
      [new FormatError("decodePng", "not a PNG"), 3, "ERR_FORMAT"],
      [new ContractError("parseContract", [{ path: "", message: "m" }]), 3, "ERR_CONTRACT"],
      [new DataError("ERR_DATA_UNREADABLE", "m"), 3, "ERR_DATA_UNREADABLE"],
      [new DataError("ERR_DATA_LABEL_VALUES", "m"), 3, "ERR_DATA_LABEL_VALUES"],
      [new TrainError("ERR_TRAIN_DIVERGED", "m"), 1, "ERR_TRAIN_DIVERGED"],
      [new TrainError("ERR_CHECKPOINT_MISMATCH", "m"), 2, "ERR_CHECKPOINT_MISMATCH"],
      [new TrainError("ERR_CHECKPOINT_FORMAT", "m"), 3, "ERR_CHECKPOINT_FORMAT"],
      [new TrainError("ERR_CHECKPOINT_MISSING", "m"), 3, "ERR_CHECKPOINT_MISSING"],
      [new TrainError("ERR_TRAIN_BACKEND", "m"), 2, "ERR_TRAIN_BACKEND"],
      [new TrainError("ERR_TRAIN_DATA", "m"), 3, "ERR_TRAIN_DATA"],
      [new ExportError("ERR_MODEL_CORRUPT", "f", "m"), 3, "ERR_MODEL_CORRUPT"],
      [new ExportError("ERR_MODEL_WEIGHTS", "f", "m"), 3, "ERR_MODEL_WEIGHTS"],
      [new ExportError("ERR_MODEL_ARGUMENT", "f", "m"), 2, "ERR_MODEL_ARGUMENT"],
      [new ExportError("ERR_MODEL_WRITE", "f", "m"), 1, "ERR_MODEL_WRITE"],
      [new ModelLoadError("ERR_MODEL_CONTRACT", "m"), 3, "ERR_MODEL_CONTRACT"],
      [new ModelLoadError("ERR_MODEL_FORMAT", "m"), 3, "ERR_MODEL_FORMAT"],
      [new ModelLoadError("ERR_MODEL_ARGUMENT", "m"), 2, "ERR_MODEL_ARGUMENT"],
      [new ModelLoadError("ERR_MODEL_SESSION", "m"), 1, "ERR_MODEL_SESSION"],
      [new BackendUnavailableError("tensorflow", "m"), 1, "ERR_BACKEND_UNAVAILABLE"],
      [new BcpError("ERR_DATA_OTHER", "m", { kind: "input" }), 3, "ERR_DATA_OTHER"],
      [zodError, 2, "ERR_CONFIG"],
      // Looks coded, is not one of ours: no exit code is trusted from its shape.
      [Object.assign(new Error("m"), { name: "DataError", code: "ERR_DATA_MISSING", exit: 2 }), 1, "ERR_DATA_MISSING"],
      [new Error("boom"), 1, "ERR_INTERNAL"],
      ["a string", 1, "ERR_INTERNAL"],
    ];
    for (const [e, exit, code] of table) {
      const d = describeError(e);
      assert.equal(d.exit, exit, code);
      assert.equal(d.code, code);
    }
  });

  it("prints a zod error as its issues on one line", () => {
    assert.equal(describeError(zodError).message, "a: Invalid input: expected number, received string");
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
