import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/bcpseg.js", import.meta.url));
const bcpseg = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });

describe("bin/bcpseg.js", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "bcpseg-bin-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("prints help from any folder (from source when unbuilt)", () => {
    const r = bcpseg(["--help"], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bcpseg — /);
    assert.match(r.stdout, /demo/);
  });

  it("a bad config file exits 2 with one line", async () => {
    await writeFile(join(dir, "bad.yaml"), "data: [unclosed\n");
    const r = bcpseg(["train", "-c", "bad.yaml"], dir);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^bcpseg: config file bad\.yaml is not valid YAML.*\[ERR_CONFIG\]$/m);
  });

  it("a missing input exits 3", () => {
    const r = bcpseg(["export", "no-such-run"], dir);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /no-such-run/);
  });
});
