import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../rng/create-rng.ts";
import { generateUid } from "./generate-uid.ts";

describe("generateUid", () => {
  it("is a 2.25 UID of a version 4 UUID, at most 44 characters", () => {
    for (const uid of [generateUid(), generateUid(createRng(1))]) {
      assert.match(uid, /^2\.25\.(0|[1-9][0-9]*)$/);
      assert.ok(uid.length <= 44);
      const hex = BigInt(uid.slice(5)).toString(16).padStart(32, "0");
      assert.equal(hex[12], "4");
      assert.match(hex[16], /[89ab]/);
    }
  });

  it("replays with a seeded generator and differs otherwise", () => {
    assert.equal(generateUid(createRng(9)), generateUid(createRng(9)));
    assert.notEqual(generateUid(createRng(9)), generateUid(createRng(10)));
    assert.notEqual(generateUid(), generateUid());
  });
});
