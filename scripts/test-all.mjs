#!/usr/bin/env node
// Runs every package's test tasks through turbo (Node suites, core under Bun and Deno, end-to-end), echoes
// their output, and closes with one summary line: "tests: N passed, N failed, N skipped".
import { spawn } from "node:child_process";

const args = [
  "turbo",
  "run",
  "typecheck",
  "test",
  "test:bun",
  "test:deno",
  "--concurrency=1",
  ...process.argv.slice(2),
];
const child = spawn("npx", args, { stdio: ["ignore", "pipe", "inherit"] });
let passed = 0;
let failed = 0;
let skipped = 0;
let buffer = "";
const count = (line) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  const text = line.replace(/\x1b\[[0-9;]*m/g, "").replace(/^@bcpseg\/[\w-]+:[\w:-]+:\s*/, "");
  let m;
  if ((m = /^# pass (\d+)$/.exec(text))) passed += Number(m[1]);
  else if ((m = /^# fail (\d+)$/.exec(text))) failed += Number(m[1]);
  else if ((m = /^# skipped (\d+)$/.exec(text))) skipped += Number(m[1]);
  else if ((m = /^\s*(\d+) pass$/.exec(text)))
    passed += Number(m[1]); // bun
  else if ((m = /^\s*(\d+) fail$/.exec(text))) failed += Number(m[1]);
  else if ((m = /^\s*(\d+) skip$/.exec(text))) skipped += Number(m[1]);
  else if ((m = /^(?:ok|FAILED) \| \d+ passed \((\d+) steps\) \| (\d+) failed/.exec(text))) {
    passed += Number(m[1]); // deno counts node:test `it`s as steps
    failed += Number(m[2]);
  }
};
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  buffer += chunk.toString();
  const lines = buffer.split("\n");
  buffer = lines.pop() ?? "";
  lines.forEach(count);
});
child.on("close", (code) => {
  if (buffer) count(buffer);
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code ?? 1);
});
