import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe } from "node:test";
import { fileURLToPath } from "node:url";
import { MODELS } from "../../test/helpers.ts";
import { routeSuite } from "../../test/route-suite.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../../..");
const require = createRequire(import.meta.url);
const fixtures = join(here, "../../test/fixtures");
const models = [MODELS.unet2d, MODELS.vnet3d].map((m) => join(fixtures, m)).join(",");

const RUNTIMES: Record<string, () => string[]> = {
  node: () => [process.execPath, "--conditions=@bcpseg/source", "--import", "tsx", join(here, "node.ts")],
  bun: () => [
    join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe"),
    "--conditions=@bcpseg/source",
    join(here, "bun.ts"),
  ],
  deno: () => [
    join(dirname(require.resolve("deno/package.json")), "deno"),
    "run",
    "-A",
    "--quiet",
    "--conditions=@bcpseg/source",
    join(here, "deno.ts"),
  ],
};

/** Starts an entry on a free loopback port; resolves with its base URL once it prints its "listening" line. */
function boot(cmd: string[]): Promise<{ child: ChildProcess; base: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd: root,
    env: { ...process.env, BCPSEG_MODELS: models, PORT: "0", HOST: "127.0.0.1", DENO_NO_UPDATE_CHECK: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${cmd[0]} did not start: ${err}`)), 60_000);
    child.stderr?.on("data", (d) => {
      err += d;
    });
    child.stdout?.on("data", (d) => {
      out += d;
      for (const line of out.split("\n")) {
        if (!line.includes('"listening"')) continue;
        clearTimeout(timer);
        const { port } = JSON.parse(line);
        resolve({ child, base: `http://127.0.0.1:${port}`, ms: performance.now() - t0 });
        return;
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${cmd[0]} exited with ${code}: ${err}`));
    });
  });
}

for (const [name, cmd] of Object.entries(RUNTIMES)) {
  describe(`the same routes on a real ${name} server on loopback`, () => {
    let server: { child: ChildProcess; base: string; ms: number };
    before(async () => {
      server = await boot(cmd());
      assert.ok(server.ms > 0);
    });
    after(async () => {
      const exited = new Promise((r) => server?.child.once("exit", r));
      server?.child.kill("SIGTERM");
      await exited;
    });
    routeSuite(() => (path, init) => fetch(server.base + path, init));
  });
}
