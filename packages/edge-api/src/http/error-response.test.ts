import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ArgumentError, BcpError, DtypeError, FormatError, ShapeError } from "@bcpseg/core";
import { ModelLoadError } from "../model/model-load-error.ts";
import { errorResponse } from "./error-response.ts";
import { HttpError } from "./http-error.ts";

describe("errorResponse", () => {
  it("derives a coded error's status from its kind", () => {
    const table: Array<[unknown, number, string]> = [
      [new HttpError(413, "ERR_BODY_TOO_LARGE", "m"), 413, "ERR_BODY_TOO_LARGE"],
      [new FormatError("decodePng", "not a PNG"), 400, "ERR_FORMAT"],
      [new DtypeError("f", "a", "bad"), 400, "ERR_DTYPE"],
      [new ShapeError("f", "a", "bad"), 422, "ERR_SHAPE"],
      [new BcpError("ERR_RANGE", "m"), 422, "ERR_RANGE"],
      [new ArgumentError("f", "a", "bad"), 422, "ERR_ARGUMENT"],
      // The server's own failures say nothing to the client.
      [new ModelLoadError("ERR_MODEL_CONTRACT", "secret"), 500, "ERR_INTERNAL"],
      [new BcpError("ERR_DISK", "secret", { kind: "unavailable" }), 500, "ERR_INTERNAL"],
      [new BcpError("ERR_BUG", "secret", { kind: "internal" }), 500, "ERR_INTERNAL"],
      [Object.assign(new Error("secret"), { code: "ERR_SHAPE", fn: "f" }), 500, "ERR_INTERNAL"],
      ["secret", 500, "ERR_INTERNAL"],
    ];
    for (const [e, status, code] of table) {
      const r = errorResponse(e, "req-1");
      assert.equal(r.status, status, code);
      assert.equal(r.body.error.code, code);
      assert.equal(r.body.error.requestId, "req-1");
      if (status === 500) assert.equal(r.body.error.message, "internal error");
    }
  });

  it("asks to retry a 503 later", () => {
    assert.equal(errorResponse(new HttpError(503, "ERR_BUSY", "m")).headers["retry-after"], "1");
  });
});
