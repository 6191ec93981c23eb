import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContractError } from "../contract/contract-error.ts";
import { FormatError } from "../io/format-error.ts";
import { ArgumentError, BcpError, DtypeError, isBcpError, ShapeError } from "./bcp-error.ts";

describe("BcpError", () => {
  it("gives core's codes their kind", () => {
    const table: Array<[BcpError, string]> = [
      [new ShapeError("f", "a", "bad"), "input"],
      [new BcpError("ERR_RANGE", "m"), "input"],
      [new ArgumentError("f", "a", "bad"), "usage"],
      [new DtypeError("f", "a", "bad"), "integrity"],
      [new FormatError("f", "bad"), "integrity"],
      [new ContractError("f", [{ path: "", message: "m" }]), "integrity"],
    ];
    for (const [e, kind] of table) assert.equal(e.kind, kind, e.code);
  });

  it("takes the kind of another package's code, and calls a code without one internal", () => {
    assert.equal(new BcpError("ERR_DATA_MISSING", "m", { kind: "input" }).kind, "input");
    assert.equal(new BcpError("ERR_SOMETHING", "m").kind, "internal");
  });

  it("is recognized by its brand, not by having a string code", () => {
    assert.equal(isBcpError(new ShapeError("f", "a", "bad")), true);
    const other = Object.assign(new Error("m"), { name: "ShapeError", code: "ERR_SHAPE", fn: "f", kind: "input" });
    assert.equal(isBcpError(other), false);
    assert.equal(isBcpError({ code: "ERR_X" }), false);
    assert.equal(isBcpError(null), false);
    // The same brand from a duplicated install (a different class object) is accepted.
    const twin = Object.defineProperty(
      Object.assign(new Error("m"), { code: "ERR_X", kind: "usage" }),
      Symbol.for("@bcpseg/core/BcpError"),
      { value: true },
    );
    assert.equal(isBcpError(twin), true);
    assert.equal(
      isBcpError(
        Object.defineProperty({ code: "ERR_X", kind: "odd" }, Symbol.for("@bcpseg/core/BcpError"), { value: true }),
      ),
      false,
    );
  });

  it("keeps the brand out of JSON", () => {
    assert.equal(Object.keys(new ShapeError("f", "a", "bad")).includes("Symbol(@bcpseg/core/BcpError)"), false);
    assert.doesNotMatch(JSON.stringify(new ShapeError("f", "a", "bad")), /bcpseg\/core/);
  });
});
