// One source for versions (issue 13): what each package reports is its package.json's version, so a release
// (`changeset version`) needs no second edit. changeset-version.test.ts runs this file again after a bump.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { cliVersion } from "@bcpseg/cli";
import { CORE_VERSION, defaultContract2d } from "@bcpseg/core";
import { EDGE_API_VERSION } from "@bcpseg/edge-api";

const versionOf = (name: string): string =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../packages/${name}/package.json`, import.meta.url)), "utf8")).version;

describe("package versions", () => {
  it("core, edge-api and the CLI report their package.json versions", () => {
    assert.equal(CORE_VERSION, versionOf("core"));
    assert.equal(EDGE_API_VERSION, versionOf("edge-api"));
    assert.equal(cliVersion(), versionOf("cli"));
  });

  it("a model contract records the core version that made it", () => {
    assert.equal(defaultContract2d({ size: [32, 32] }).producer.version, versionOf("core"));
  });
});
