#!/usr/bin/env node
// The `bcpseg` command: runs the built CLI (dist/main.js). In the monorepo without a build it runs
// src/main.ts instead, re-spawning node with the source export condition and the tsx loader.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const dist = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const src = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const fromSource = process.env.BCPSEG_FROM_SOURCE === "1" || !existsSync(dist);

if (!fromSource) {
  await import(pathToFileURL(dist).href);
} else if (!existsSync(src)) {
  process.stderr.write("bcpseg: this install has neither dist/main.js nor src/main.ts; reinstall @bcpseg/cli\n");
  process.exit(1);
} else {
  let tsx;
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    process.stderr.write(
      "bcpseg: running from source needs tsx; run `npm install` in the repository, or build first\n",
    );
    process.exit(1);
  }
  const child = spawn(
    process.execPath,
    ["--conditions=@bcpseg/source", "--import", tsx, src, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
}
