import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, ProgressBar } from "./progress-bar.ts";

const sink = (isTTY: boolean) => {
  const out: string[] = [];
  return { out, sink: { write: (s: string) => out.push(s), isTTY, columns: 200 } };
};

describe("ProgressBar", () => {
  it("prints plain lines without a TTY", () => {
    const { out, sink: s } = sink(false);
    const bar = new ProgressBar(s, "pretrain", 10);
    bar.update(5, { loss: 0.123456 });
    bar.note("validation");
    bar.done();
    assert.equal(out.length, 2);
    assert.match(out[0], /^pretrain \[#{10}\.{10}\] 5\/10 loss 0\.1235 [\d.]+ it\/s ETA \S+\n$/);
    assert.equal(out[1], "validation\n");
    assert.ok(out.every((l) => !l.includes("\r")));
  });

  it("redraws one line on a TTY and ends it", () => {
    const { out, sink: s } = sink(true);
    const bar = new ProgressBar(s, "selftrain", 4);
    bar.update(1, {}, true);
    bar.update(4);
    bar.done();
    assert.ok(out[0].startsWith("\r") && out[0].endsWith("\x1b[K"));
    assert.equal(out.at(-1), "\n");
  });

  it("formats durations", () => {
    assert.deepEqual(
      [formatDuration(5), formatDuration(75), formatDuration(3700), formatDuration(Number.NaN)],
      ["5s", "1m15s", "1h01m", "?"],
    );
  });
});
