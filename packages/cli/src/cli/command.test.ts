import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineCommand } from "./command.ts";
import { num, parseFlags } from "./parse-flags.ts";

const spec = defineCommand({
  name: "probe",
  summary: "probe",
  options: {
    token: { type: "string", multiple: true, description: "t" },
    port: { type: "string", description: "p" },
    quiet: { type: "boolean", short: "q", description: "q" },
  },
  async run({ values }) {
    // The values are typed from the options: these assignments are what the type checker verifies.
    const tokens: string[] | undefined = values.token;
    const port: string | undefined = values.port;
    const quiet: boolean | undefined = values.quiet;
    const json: boolean | undefined = values.json;
    // @ts-expect-error: no such flag
    values.nope;
    return { tokens, port, quiet, json };
  },
});

describe("typed commands", () => {
  it("parse flags to the types their options declare", async () => {
    const { values, positionals } = parseFlags(spec, ["a", "--token", "x", "--token", "y", "-q", "--port", "80"]);
    assert.deepEqual(positionals, ["a"]);
    assert.deepEqual(values.token, ["x", "y"]);
    assert.equal(values.quiet, true);
    assert.equal(num(values, "port", { int: true }), 80);
    const out = await spec.run?.({ values, positionals, io: undefined as never, json: false });
    assert.deepEqual(out, { tokens: ["x", "y"], port: "80", quiet: true, json: undefined });
  });

  it("refuses unknown flags and missing values as usage errors", () => {
    assert.throws(() => parseFlags(spec, ["--nope"]), { code: "ERR_USAGE", message: /probe: unknown option '--nope'/ });
    assert.throws(() => parseFlags(spec, ["--port"]), { code: "ERR_USAGE" });
  });
});
