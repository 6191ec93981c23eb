// Each package's public surface is its package.json `exports`: every subpath resolves (source condition here, the
// built dist/ in the packaging test), the subpaths of core and trainer are parts of their root entry, and the
// trainer's internals (tfjs kernels, layers, the mutable Run) are in none of them.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
type Exports = Record<string, string | Record<string, string>>;
const manifest = (pkg: string) =>
  JSON.parse(readFileSync(join(ROOT, "packages", pkg, "package.json"), "utf8")) as { name: string; exports: Exports };
const subpaths = (pkg: string) =>
  Object.keys(manifest(pkg).exports).filter((k) => k !== "." && k !== "./package.json" && !k.includes("*"));

describe("package surfaces", () => {
  for (const pkg of ["core", "trainer"]) {
    it(`@bcpseg/${pkg}: every subpath resolves and is part of the root entry`, async () => {
      const root = (await import(`@bcpseg/${pkg}`)) as Record<string, unknown>;
      const subs = subpaths(pkg);
      assert.ok(subs.length >= 6, subs.join());
      for (const sub of subs) {
        const mod = (await import(`@bcpseg/${pkg}${sub.slice(1)}`)) as Record<string, unknown>;
        const names = Object.keys(mod);
        assert.ok(names.length > 0, `${sub} exports nothing`);
        for (const name of names) assert.equal(root[name], mod[name], `${sub}: ${name} is not the root's`);
      }
    });
  }

  it("core has a subpath for each of its src/ folders with an index.ts", () => {
    const dir = join(ROOT, "packages", "core", "src");
    const folders = readdirSync(dir).filter((d) => existsSync(join(dir, d, "index.ts")));
    assert.deepEqual(subpaths("core").sort(), folders.map((d) => `./${d}`).sort());
    for (const sub of subpaths("core")) {
      const entry = manifest("core").exports[sub] as Record<string, string>;
      assert.deepEqual(Object.keys(entry), ["@bcpseg/source", "types", "import"], sub);
      assert.equal(entry.types, `./dist/${sub.slice(2)}/index.d.ts`);
    }
  });

  it("the trainer keeps its kernels, layers and the mutable Run private", async () => {
    const entries = ["", ...subpaths("trainer").map((s) => s.slice(1))];
    for (const entry of entries) {
      const mod = (await import(`@bcpseg/trainer${entry}`)) as Record<string, unknown>;
      for (const name of [
        "KERNEL_PLAN",
        "im2col",
        "col2im",
        "registerMissingKernels",
        "convForward",
        "Run",
        "ParamStore",
        "addConv",
      ]) {
        assert.equal(name in mod, false, `@bcpseg/trainer${entry} exports ${name}`);
      }
    }
    const t = (await import("@bcpseg/trainer")) as Record<string, unknown>;
    for (const name of [
      "train",
      "RUN_FILES",
      "exportOnnx",
      "createUNet2d",
      "evaluateModel",
      "PngFolderDataset",
      "toTorchLayout",
    ]) {
      assert.ok(name in t, name);
    }
  });

  it("a path outside the exports is refused (no deep imports)", async () => {
    await assert.rejects(import("@bcpseg/trainer/kernels"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
    await assert.rejects(import("@bcpseg/core/src/io/bounded-inflate.ts"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });
});
