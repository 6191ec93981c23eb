import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COMMANDS } from "../commands/index.ts";
import { configError } from "../errors/cli-error.ts";
import { captureIo } from "./capture-io.test-util.ts";
import type { CommandSpec } from "./command.ts";
import { CommandResult } from "./command-result.ts";
import { runCli } from "./run-cli.ts";

const echo: CommandSpec = {
  name: "echo",
  summary: "echo",
  options: { n: { type: "string", description: "n" } },
  run: async ({ values, positionals }) => ({ n: values.n, positionals }),
};
const failing: CommandSpec = {
  name: "fail",
  summary: "fail",
  run: async () => {
    throw configError("bad config\nsecond line");
  },
};
const partial: CommandSpec = { name: "partial", summary: "partial", run: async () => new CommandResult({ x: 1 }, 3) };

describe("runCli", () => {
  it("prints root help with --help and exits 0; with no arguments exits 2", async () => {
    const io = captureIo();
    assert.equal(await runCli(["--help"], io, COMMANDS), 0);
    for (const c of COMMANDS) assert.match(io.out(), new RegExp(`\\n  ${c.name} `));
    const none = captureIo();
    assert.equal(await runCli([], none, COMMANDS), 2);
    assert.match(none.err(), /Usage:/);
  });

  it("prints each command's and subcommand's help", async () => {
    for (const c of COMMANDS) {
      const io = captureIo();
      assert.equal(await runCli([c.name, "--help"], io, COMMANDS), 0, c.name);
      assert.match(io.out(), new RegExp(`^bcpseg ${c.name} — `));
      assert.match(io.out(), /--json/);
      for (const sub of c.subcommands ?? []) {
        const s = captureIo();
        assert.equal(await runCli([c.name, sub.name, "-h"], s, COMMANDS), 0);
        assert.match(s.out(), new RegExp(`^bcpseg ${c.name} ${sub.name} — `));
      }
    }
  });

  it("prints the version", async () => {
    const io = captureIo();
    assert.equal(await runCli(["--version"], io, COMMANDS), 0);
    assert.match(io.out(), /^\d+\.\d+\.\d+/);
  });

  it("rejects unknown commands and flags with exit 2 and one line", async () => {
    for (const argv of [["nope"], ["data", "nope"], ["train", "--nope"], ["export", "--precision"]]) {
      const io = captureIo();
      assert.equal(await runCli(argv, io, COMMANDS), 2, argv.join(" "));
      assert.equal(io.err().trim().split("\n").length, 1, io.err());
      assert.match(io.err(), /^bcpseg: .*\[ERR_USAGE\]\n$/);
    }
  });

  it("passes flags and positionals; --json prints the result", async () => {
    const io = captureIo();
    assert.equal(await runCli(["echo", "--n", "3", "a", "--json"], io, [echo]), 0);
    assert.deepEqual(JSON.parse(io.out()), { n: "3", positionals: ["a"] });
  });

  it("maps errors to exit codes, one stderr line, and a JSON error with --json", async () => {
    const io = captureIo();
    assert.equal(await runCli(["fail", "--json"], io, [failing]), 2);
    assert.equal(io.err(), "bcpseg: bad config; second line [ERR_CONFIG]\n");
    assert.deepEqual(JSON.parse(io.out()), {
      error: { code: "ERR_CONFIG", message: "bad config; second line", exit: 2 },
    });
  });

  it("lets a command set a non-zero exit with a result", async () => {
    const io = captureIo();
    assert.equal(await runCli(["partial", "--json"], io, [partial]), 3);
    assert.deepEqual(JSON.parse(io.out()), { x: 1 });
  });
});
