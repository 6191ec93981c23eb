#!/usr/bin/env node
// Packaging test: packs every workspace package with `npm pack`, installs the tarballs into an empty folder,
// lints each tarball with publint and arethetypeswrong, and from that installed copy runs `bcpseg --help`, imports @bcpseg/core under Node, Bun and Deno, and runs
// `bcpseg demo --quick`. It builds what it packs itself, in a temporary copy of the workspace (`turbo run build`
// there), so the checkout keeps running its sources and gets no dist/ folders.
// Usage: node scripts/pack-test.mjs [--keep] [--skip-demo]   (npm run test:pack)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const tool = (name) => join(root, "node_modules", ".bin", name);
const PACKAGES = ["core", "trainer", "edge-api", "cli"];
const args = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "bcpseg-pack-"));
const failures = [];
let checks = 0;
const started = performance.now();

function run(cmd, argv, options = {}) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000, ...options });
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`, stdout: r.stdout ?? "" };
}

function step(name, fn) {
  const t0 = performance.now();
  let result;
  try {
    result = fn();
  } catch (e) {
    result = { ok: false, out: String(e?.stack ?? e) };
  }
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`${result.ok ? "ok  " : "FAIL"} ${name} (${s} s)`);
  checks++;
  if (!result.ok) {
    failures.push(name);
    console.log(
      result.out
        .split("\n")
        .slice(-25)
        .map((l) => `     ${l}`)
        .join("\n"),
    );
  }
  return result;
}

// 1. Build in a copy: the workspace's manifests and package sources, with the checkout's node_modules linked in
// (sibling packages resolve through it to the checkout's sources, which the build reads for types only).
const copy = join(work, "workspace");
step("turbo run build (in a temporary copy)", () => {
  for (const f of ["package.json", "package-lock.json", "tsconfig.base.json", "turbo.json"]) {
    cpSync(join(root, f), join(copy, f));
  }
  cpSync(join(root, "test", "package.json"), join(copy, "test", "package.json"));
  for (const pkg of PACKAGES) {
    cpSync(join(root, "packages", pkg), join(copy, "packages", pkg), {
      recursive: true,
      filter: (p) => !/[\\/](node_modules|dist|\.turbo)$/.test(p),
    });
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
  return run(join(root, "node_modules", ".bin", "turbo"), ["run", "build", "--output-logs=errors-only"], {
    cwd: copy,
    env,
  });
});

// 2. Pack.
const tarballs = [];
for (const pkg of PACKAGES) {
  const dir = join(copy, "packages", pkg);
  step(`npm pack @bcpseg/${pkg}`, () => {
    if (!existsSync(join(dir, "dist", "index.js"))) {
      return { ok: false, out: `packages/${pkg}/dist/index.js is missing: the build did not make it` };
    }
    const r = run("npm", ["pack", "--json", "--pack-destination", work], { cwd: dir });
    if (!r.ok) return r;
    const info = JSON.parse(r.stdout.slice(r.stdout.indexOf("[")))[0];
    tarballs.push(join(work, info.filename));
    const files = info.files.map((f) => f.path);
    const missing = ["package.json", "README.md", "LICENSE"].filter((f) => !files.includes(f));
    return { ok: missing.length === 0, out: `tarball lacks ${missing.join(", ")}` };
  });
}
if (tarballs.length < PACKAGES.length) finish();

// 2b. Lint each tarball as published: publint (exports, files, fields; warnings are failures) and
// arethetypeswrong (every subpath's types resolve as its JavaScript does; ESM only, so the esm-only profile).
for (const [i, pkg] of PACKAGES.entries()) {
  step(`publint @bcpseg/${pkg}`, () => run(tool("publint"), ["run", tarballs[i], "--strict", "--level", "warning"]));
  step(`arethetypeswrong @bcpseg/${pkg}`, () =>
    run(tool("attw"), [tarballs[i], "--profile", "esm-only", "--format", "ascii", "--no-emoji", "--no-color"]),
  );
}

// 3. Install into an empty folder.
const app = join(work, "app");
step("npm install the tarballs into an empty folder", () => {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "bcpseg-pack-test", private: true, type: "module" }));
  return run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...tarballs], { cwd: app });
});

// 4. The installed bin and library.
const bin = join(app, "node_modules", ".bin", "bcpseg");
step("bcpseg --help (installed bin)", () => {
  const r = run(bin, ["--help"], { cwd: app });
  return {
    ...r,
    ok: r.ok && /bcpseg demo/.test(r.out) && !existsSync(join(app, "node_modules", "@bcpseg", "cli", "src")),
  };
});
const probe =
  "import { createRng, CORE_VERSION } from '@bcpseg/core'; const r = createRng(1); console.log('core', CORE_VERSION, r.random() >= 0);";
writeFileSync(join(app, "probe.mjs"), `${probe}\n`);
const expectCore = (r) => ({ ...r, ok: r.ok && /core .* true/.test(r.out) });
step("import @bcpseg/core under Node", () => expectCore(run(process.execPath, ["probe.mjs"], { cwd: app })));
step("import @bcpseg/core under Bun", () => expectCore(run(tool("bun"), ["probe.mjs"], { cwd: app })));
step("import @bcpseg/core under Deno", () =>
  expectCore(run(tool("deno"), ["run", "--allow-read", "--allow-env", "probe.mjs"], { cwd: app })),
);

// 5. The quick demo from the installed copy.
if (!args.includes("--skip-demo")) {
  step("bcpseg demo --quick (installed copy)", () => {
    const r = run(bin, ["demo", "--quick", "--json", "--out", "demo"], { cwd: app });
    if (!r.ok) return r;
    const doc = JSON.parse(r.stdout.trim().split("\n").pop());
    return {
      ok:
        doc.model?.bytes > 0 &&
        Object.keys(doc.dice?.httpSample ?? {}).length > 0 &&
        existsSync(doc.plots?.diceSvg ?? ""),
      out: r.out,
    };
  });
}
finish();

function finish() {
  // The plain closing line CI reads, after the suite's own.
  const summary = `packaging: ${checks - failures.length} passed, ${failures.length} failed`;
  if (args.includes("--keep")) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  if (failures.length > 0) {
    console.log(`${failures.length} packaging check(s) failed: ${failures.join("; ")}`);
    console.log(summary);
    process.exit(1);
  }
  console.log(`packaging checks passed (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log(summary);
  process.exit(0);
}
