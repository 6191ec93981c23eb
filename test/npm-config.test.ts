// Install hygiene (issue 13): npm prints no warning of ours, and onnxruntime-node's postinstall (a CUDA download
// from NuGet, unreachable from a machine that reaches only the npm registry) is denied by package.json's
// allowScripts rather than by an .npmrc key npm does not know.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The environment without npm's own npm_config_* variables, as a shell outside `npm test` has it. */
function plainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k)) env[k] = v;
  }
  return env;
}

function npm(args: string[]) {
  const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, {
    cwd: ROOT,
    env: plainEnv(),
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm configuration", () => {
  it("npx bcpseg --help prints help and no npm warning", { timeout: 120_000 }, () => {
    const r = npm(["exec", "--", "bcpseg", "--help"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^bcpseg — /);
    assert.doesNotMatch(r.stderr, /npm warn/i);
  });

  it("every dependency with an install script is reviewed in allowScripts", { timeout: 120_000 }, () => {
    const r = npm(["install-scripts", "ls"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /No packages with unreviewed install scripts/);
    assert.doesNotMatch(r.stderr, /npm warn/i);
  });

  it("onnxruntime-node's CUDA download is denied, and did not run", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    assert.equal(pkg.allowScripts["onnxruntime-node"], false);
    const ortBin = join(ROOT, "node_modules/onnxruntime-node/bin/napi-v6", process.platform, process.arch);
    assert.ok(existsSync(ortBin), `${ortBin} is missing: is onnxruntime-node installed?`);
    assert.equal(existsSync(join(ortBin, "libonnxruntime_providers_cuda.so")), false);
  });
});
