// The release step leaves the tree green (issue 13): in a temporary copy of the repository, `changeset version`
// bumps every package, and then the suite's version checks pass with no second edit (versions have one source,
// each package.json). The copy's node_modules links to this one's, with @bcpseg/* pointing into the copy.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SLOW = process.env.BCPSEG_QUICK === "1" ? "slow test (BCPSEG_QUICK=1)" : false;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["core", "trainer", "edge-api", "cli"] as const;

/** Copies the files git tracks or would track (not ignored ones) and links node_modules. */
function copyRepository(to: string): void {
  const list = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT });
  for (const file of list.toString().split("\0")) {
    if (file === "" || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(to, file));
  }
  const modules = join(ROOT, "node_modules");
  mkdirSync(join(to, "node_modules", "@bcpseg"), { recursive: true });
  for (const name of readdirSync(modules)) {
    if (name === "@bcpseg") {
      // Relative links (../../packages/core): copied as they are, they point into the copy.
      for (const p of readdirSync(join(modules, name))) {
        symlinkSync(readlinkSync(join(modules, name, p)), join(to, "node_modules", name, p));
      }
    } else if (!name.startsWith(".package-lock")) {
      symlinkSync(join(modules, name), join(to, "node_modules", name));
    }
  }
}

const versionOf = (root: string, name: string): string =>
  JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8")).version;

describe("changeset version", { skip: SLOW }, () => {
  it("bumps every package, and the version checks pass afterwards", { timeout: 300_000 }, async () => {
    const work = await mkdtemp(join(tmpdir(), "bcpseg-release-"));
    try {
      copyRepository(work);
      const before = PACKAGES.map((p) => versionOf(work, p));
      const bumps = PACKAGES.map((p) => `"@bcpseg/${p}": minor`).join("\n");
      await writeFile(join(work, ".changeset", "release-check.md"), `---\n${bumps}\n---\n\nRelease check.\n`);
      const changeset = join(work, "node_modules", "@changesets", "cli", "bin.js");
      const bump = spawnSync(process.execPath, [changeset, "version"], { cwd: work, encoding: "utf8" });
      assert.equal(bump.status, 0, bump.stderr);
      const after = PACKAGES.map((p) => versionOf(work, p));
      for (const [i, p] of PACKAGES.entries()) assert.notEqual(after[i], before[i], `@bcpseg/${p} was not bumped`);

      const checks = ["packages/core/src/version.test.ts", "test/versions.test.ts"];
      const r = spawnSync(
        process.execPath,
        ["--conditions=@bcpseg/source", "--import", "tsx", "--test", "--test-reporter=tap", ...checks],
        // Without NODE_TEST_CONTEXT the child reports as a test run of its own (TAP on stdout), not to this one.
        { cwd: work, encoding: "utf8", env: { ...process.env, NODE_TEST_CONTEXT: undefined } },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^# fail 0$/m);
      assert.match(r.stdout, /^# pass [1-9]/m);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
