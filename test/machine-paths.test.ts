// No absolute machine paths in the tree (issue 13): benchmarks find the real data at ../shared/data beside the
// repository (bench/lib/shared-data.ts) or where a --root flag says.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO_ROOT, sharedDataRoot } from "../bench/lib/shared-data.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// A home or workspace folder of one machine, at the start of a path (not inside a URL or a relative path).
const MACHINE_PATH = "(^|[^A-Za-z0-9_.~-])/(work|home|Users|root)/";

describe("paths", () => {
  it("the benchmarks' data root is ../shared/data beside the repository, or the flag's folder", () => {
    assert.equal(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).name, "bcpseg-monorepo");
    assert.equal(sharedDataRoot("ACDC"), join(REPO_ROOT, "..", "shared", "data", "ACDC"));
    assert.equal(sharedDataRoot("LA", "data/LA"), resolve("data/LA"));
  });

  it("no tracked file names an absolute folder of one machine", () => {
    const r = spawnSync("git", ["grep", "-n", "-I", "-E", MACHINE_PATH, "--", ".", ":!test/machine-paths.test.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(r.status, 1, `git grep found machine paths (status ${r.status}):\n${r.stdout}${r.stderr}`);
  });
});
