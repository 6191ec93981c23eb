// The demo prints its page's URL only while the server is up (`--serve`); otherwise it says how to keep one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pageLine } from "./demo.ts";

describe("bcpseg demo", () => {
  it("names the URL only while serving", () => {
    assert.equal(
      pageLine("http://127.0.0.1:8787", "out/model-int8.onnx"),
      "page:  http://127.0.0.1:8787/ (serving until Ctrl-C)\n",
    );
    const closed = pageLine(undefined, "out/model-int8.onnx");
    assert.doesNotMatch(closed, /http:/);
    assert.match(closed, /bcpseg demo --serve/);
    assert.match(closed, /bcpseg serve out\/model-int8\.onnx/);
  });
});
