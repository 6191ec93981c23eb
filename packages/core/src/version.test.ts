import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pkg from "../package.json" with { type: "json" };
import { CORE_VERSION } from "./version.ts";

describe("CORE_VERSION", () => {
  it("equals the package.json version", () => {
    assert.equal(CORE_VERSION, pkg.version);
  });
});
