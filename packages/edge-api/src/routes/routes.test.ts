import { after, before, describe } from "node:test";
import { modelBytes } from "../../test/helpers.ts";
import { routeSuite } from "../../test/route-suite.ts";
import { createApp, type SegmentApp } from "../app.ts";
import { silentLogger } from "../http/logger.ts";

describe("routes through app.request()", () => {
  let app: SegmentApp;
  before(async () => {
    app = createApp({ models: modelBytes(), logger: silentLogger });
    await app.ready;
  });
  after(() => app.dispose());
  routeSuite(() => (path, init) => Promise.resolve(app.request(path, init)));
});
