// The CLI's sources run unbuilt on Bun and Deno (each with the @bcpseg/source condition): help and `data synth`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const BIN = (p: string) => fileURLToPath(new URL(`../../../../node_modules/${p}`, import.meta.url));
const RUNTIMES = [
  { name: "bun", exe: BIN("bun/bin/bun.exe"), args: ["--conditions=@bcpseg/source", MAIN] },
  { name: "deno", exe: BIN("deno/deno"), args: ["run", "-A", "--conditions=@bcpseg/source", MAIN] },
];

for (const rt of RUNTIMES) {
  describe(`bcpseg on ${rt.name}`, { skip: existsSync(rt.exe) ? false : `${rt.exe} is not installed` }, () => {
    let dir: string;
    const run = (args: string[]) =>
      spawnSync(rt.exe, [...rt.args, ...args], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `bcpseg-${rt.name}-`));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("prints help", () => {
      const r = run(["--help"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^bcpseg — /);
    });

    it("writes the phantom set with data synth and exits 2 on a bad flag", async () => {
      const r = run(["data", "synth", "-o", "ph", "--patients", "1", "--size", "32,32", "--json"]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).samples, 10);
      assert.equal((await readdir(join(dir, "ph", "masks"))).length, 10);
      assert.equal(run(["data", "synth", "--nope"]).status, 2);
    });
  });
}
