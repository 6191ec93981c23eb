import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { niceTicks, tickLabel } from "./nice-ticks.ts";
import { curvesFromLog, writeRunPlots } from "./write-run-plots.ts";

describe("plots", () => {
  it("nice ticks are round and cover the range", () => {
    assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = niceTicks(3, 97, 5);
    assert.ok(t.min <= 3 && t.max >= 97);
    assert.deepEqual(niceTicks(2, 2).ticks.length > 1, true);
    assert.equal(tickLabel(0.30000000000000004), "0.3");
    assert.equal(tickLabel(1e-5), "1e-5");
  });

  it("reads metrics.jsonl into series; self-training follows pre-training; duplicates keep the last", () => {
    const log = [
      { type: "event", event: "start" },
      { type: "train", stage: "pretrain", iteration: 10, loss: 2 },
      { type: "train", stage: "pretrain", iteration: 10, loss: 1.5 },
      { type: "val", stage: "pretrain", iteration: 10, dice: 0.2 },
      { type: "train", stage: "selftrain", iteration: 10, loss: 1 },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const c = curvesFromLog(`${log}\n{"cut`, 100, "t");
    assert.deepEqual(
      c.loss.map((s) => s.points),
      [[[10, 1.5]], [[110, 1]]],
    );
    assert.deepEqual(
      c.dice.map((s) => s.points),
      [[[10, 0.2]]],
    );
  });

  it("writes curves and Dice charts as SVG next to the report", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bcpseg-plots-"));
    try {
      const report = {
        config: { classes: 4, pretrain: { iterations: 20 } },
        evaluation: { perClass: [1, 2, 3].map((k) => ({ class: k, dice: k / 4 })) },
      };
      await writeFile(join(dir, "report.json"), JSON.stringify(report));
      const lines = [5, 10, 15, 20].map((i) =>
        JSON.stringify({ type: "train", stage: "pretrain", iteration: i, loss: 1 / i }),
      );
      await writeFile(join(dir, "metrics.jsonl"), `${lines.join("\n")}\n`);
      const out = await writeRunPlots(dir, { compare: [{ name: "baseline", report }] });
      const svg = await readFile(out.diceSvg!, "utf8");
      assert.match(svg, /^<svg /);
      assert.match(svg, /myocardium/);
      assert.match(svg, /0\.750/);
      assert.match(await readFile(out.curvesSvg, "utf8"), /polyline/);
      // The words a chart needs are in the SVG: title, axis names, legend entries.
      assert.match(svg, /Dice per class \(validation\)/);
      assert.match(svg, /baseline/);
      const curves = await readFile(out.curvesSvg, "utf8");
      assert.match(curves, /iteration/);
      assert.deepEqual((await readdir(dir)).sort(), ["curves.svg", "dice.svg", "metrics.jsonl", "report.json"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
