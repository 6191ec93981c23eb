import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { grayPng, MODELS } from "../../test/helpers.ts";
import { silentLogger } from "../http/logger.ts";
import { type NodeServer, startNode } from "../runtimes/node.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// playwright-core is optional: the test skips without it (PLAYWRIGHT_CORE may point at an install elsewhere).
// biome-ignore lint/suspicious/noExplicitAny: the package is optional, so its types may be absent
type Loose = any;
type Pw = { chromium: { launch(options: object): Promise<Loose> } };
const pw: Pw | undefined = await import(process.env.PLAYWRIGHT_CORE ?? "playwright-core").then(
  (m) => (m.chromium ? m : m.default) as Pw,
  () => undefined,
);
const skip = !pw ? "playwright-core is not installed" : !existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM}` : false;
// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.
if (skip && process.env.CI) throw new Error(`page test cannot run in CI: ${skip}`);

describe("the page at / in headless Chromium", { skip }, () => {
  let server: NodeServer;
  let browser: Loose;
  before(async () => {
    const fixtures = new URL("../../test/fixtures/", import.meta.url).pathname;
    server = await startNode({ modelPaths: [fixtures + MODELS.unet2d], port: 0, logger: silentLogger });
    browser = await (pw as Pw).chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the overlay and a class legend for a chosen file, then for a dropped one", async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.waitForFunction(() => document.querySelectorAll("#model option").length === 1);
    const png = Buffer.from(grayPng(60, 80));
    await page.setInputFiles("#file", { name: "slice.png", mimeType: "image/png", buffer: png });
    await page.waitForFunction(() => {
      const img = document.getElementById("overlay") as HTMLImageElement;
      return !document.getElementById("result")?.hidden && img.complete && img.naturalWidth > 0;
    });
    const size = await page.$eval("#overlay", (img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    assert.deepEqual(size, [80, 60]);
    const legend = await page.$$eval("#legend li", (lis: Element[]) => lis.map((li) => li.textContent));
    assert.equal(legend.length, 4);
    assert.match(legend[0] ?? "", /^background — \d+ px$/);
    assert.match((await page.textContent("#status")) ?? "", /Done: slice\.png/);

    // A user's drop: a DataTransfer with the file, dispatched on the drop zone.
    await page.evaluate(() => {
      (document.getElementById("status") as HTMLElement).textContent = "";
    });
    const dt = await page.evaluateHandle(
      (bytes: number[]) => {
        const d = new DataTransfer();
        d.items.add(new File([new Uint8Array(bytes)], "dropped.png", { type: "image/png" }));
        return d;
      },
      [...png],
    );
    await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Done: dropped.png");

    // A broken file shows the error envelope's code, not a stack.
    await page.setInputFiles("#file", { name: "bad.png", mimeType: "image/png", buffer: Buffer.from("not a png") });
    await page.waitForFunction(() => document.getElementById("status")?.className === "error");
    assert.match((await page.textContent("#status")) ?? "", /^ERR_FORMAT: /);
    await page.close();
  });

  it("takes a dropped DICOM series (one multipart/form-data request, other files left out) and shows its middle slice's overlay", async () => {
    const dir = new URL("../../../core/test/fixtures/dicom/mr-explicit-le/", import.meta.url).pathname;
    const files = readdirSync(dir)
      .sort()
      .map((f) => [...readFileSync(dir + f)]);
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.waitForFunction(() => document.querySelectorAll("#model option").length === 1);
    const dt = await page.evaluateHandle((all: number[][]) => {
      const d = new DataTransfer();
      // No extension, as series files often come: the page finds DICOM by content.
      all.forEach((bytes, k) => {
        d.items.add(new File([new Uint8Array(bytes)], `IM${k}`, { type: "" }));
      });
      // A folder's other files are left out.
      d.items.add(new File(["not DICOM"], "notes.txt", { type: "text/plain" }));
      return d;
    }, files);
    await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
    await page.waitForFunction(() => /^(Done|ERR)/.test(document.getElementById("status")?.textContent ?? ""));
    assert.equal(await page.textContent("#status"), "Done: 4 DICOM files");
    await page.waitForFunction(() => (document.getElementById("overlay") as HTMLImageElement).naturalWidth > 0);
    const size = await page.$eval("#overlay", (img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    assert.deepEqual(size, [48, 64]); // columns x rows of the series
    const legend = await page.$$eval("#legend li", (lis: Element[]) => lis.map((li) => li.textContent ?? ""));
    const voxels = legend.reduce((n: number, t: string) => n + Number(/(\d+) px$/.exec(t)?.[1] ?? Number.NaN), 0);
    assert.equal(voxels, 48 * 64 * 4);

    // One chosen DICOM file is a series of one slice.
    await page.setInputFiles("#file", { name: "single", mimeType: "", buffer: Buffer.from(files[0]) });
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Done: single");
    await page.close();
  });
});
