import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { f32Bytes } from "../../test/helpers.ts";
import { scanJsonMembers } from "./json-members.ts";
import { probeInput } from "./read-input.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const scan = (s: string) => scanJsonMembers(enc(s), "data");
const base64 = (a: Float32Array) => Buffer.from(f32Bytes(a)).toString("base64");

describe("scanJsonMembers", () => {
  it("reads what JSON.parse reads: the small members parsed, the big string located", () => {
    const ws = fc.constantFrom("", " ", "\n", "\t ", "\r\n  ");
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ABCxyz0189+/="), maxLength: 200 }),
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 2, maxLength: 3 }),
        fc.option(fc.array(fc.double({ min: 0.1, max: 9, noNaN: true }), { minLength: 2, maxLength: 3 })),
        fc.option(fc.constant("float32")),
        fc.array(ws, { minLength: 20, maxLength: 20 }),
        fc.nat(5),
        (data, shape, spacing, dtype, w, rot) => {
          const members: [string, unknown][] = [
            ["data", data],
            ["shape", shape],
          ];
          if (spacing) members.push(["spacing", spacing]);
          if (dtype) members.push(["dtype", dtype]);
          const order = members.map((_, i) => members[(i + rot) % members.length]);
          const text = `${w[0]}{${order.map(([k, v], i) => `${w[1 + i]}"${k}"${w[5 + i]}:${w[9 + i]}${JSON.stringify(v)}${w[13 + i]}`).join(",")}}${w[19]}`;
          const r = scan(text);
          assert.ok(r, text);
          const doc = JSON.parse(text);
          const big = r.big as { start: number; end: number };
          assert.equal(new TextDecoder().decode(enc(text).subarray(big.start, big.end)), doc.data);
          delete doc.data;
          assert.deepEqual(r.small, doc);
        },
      ),
    );
  });

  it("gives up (the caller parses the whole body) on anything it does not read exactly as JSON.parse", () => {
    for (const text of [
      "[1, 2]",
      '{"data": "AA\\u0041A", "shape": [1, 2]}',
      '{"data": "AAAA", "data": "BBBB", "shape": [1, 2]}',
      '{"data": "AAAA", "shape": [1, 2], "shape": [2, 1]}',
      '{"data": "AAAA", "shape": [1, 2]} x',
      '{"data": "AAAA", "shape": [1, 2]',
      '{"da\\u0074a": "AAAA", "shape": [1, 2]}',
      '{"data": "AAAA", "shape": [1, 2}',
      `{"data": "AAAA", "shape": [${"1,".repeat(3000)}1]}`,
      '{"data": AAAA, "shape": [1, 2]}',
      '{"data": "AAAA", "shape": [1, 2],}',
      '{"data": "AAAA" "shape": [1, 2]}',
    ]) {
      assert.equal(scan(text), undefined, text);
    }
    // Cut short anywhere, at any alignment of the buffer.
    const whole = enc('{"shape": [1, 2], "data": "AAAAAAAAAAAA"}');
    for (let at = 0; at < 4; at++) {
      const buf = new Uint8Array(whole.length + 4);
      buf.set(whole, at);
      for (let cut = 0; cut < whole.length; cut++)
        assert.equal(scanJsonMembers(buf.subarray(at, at + cut), "data"), undefined);
      assert.ok(scanJsonMembers(buf.subarray(at, at + whole.length), "data"));
    }
    assert.deepEqual(scan(" { } "), { small: {} });
  });
});

describe("probeInput (JSON body)", () => {
  it("sizes the body without parsing the data, and decodes exactly what the whole parse gives", async () => {
    const values = Float32Array.from({ length: 6 * 7 }, (_, i) => Math.sin(i) * 100);
    const body = enc(JSON.stringify({ shape: [6, 7], spacing: [1.5, 2], data: base64(values) }));
    const parse = JSON.parse;
    const parsed: number[] = [];
    JSON.parse = (text: string, ...rest: never[]) => {
      parsed.push(text.length);
      return parse(text, ...rest);
    };
    let probe: Awaited<ReturnType<typeof probeInput>>;
    try {
      probe = await probeInput(body, "application/json", {});
    } finally {
      JSON.parse = parse;
    }
    assert.ok(
      parsed.every((n) => n < 64),
      `JSON.parse saw ${parsed.join(", ")} characters`,
    );
    assert.deepEqual(probe.shape, [6, 7]);
    assert.equal(probe.decodedBytes, 2 * 4 * 42);
    const image = await probe.decode();
    assert.deepEqual(image.data, values);
    assert.deepEqual(image.spacing, [1.5, 2]);
  });

  it("refuses what the whole parse refuses, at decode when only the data is bad", async () => {
    const bad = await probeInput(enc('{"shape": [2, 2], "data": "!!!!"}'), "application/json", {});
    await assert.rejects(bad.decode(), { status: 400, code: "ERR_VALIDATION" });
    // Unknown keys, a wrong dtype, a bad shape: refused by the probe with the schema's issues, as before.
    for (const text of ['{"shape": [2, 2], "data": "AAAA", "extra": 1}', '{"shape": [0, 2], "data": "AAAA"}']) {
      await assert.rejects(probeInput(enc(text), "application/json", {}), { status: 400, code: "ERR_VALIDATION" });
    }
    await assert.rejects(
      probeInput(enc('{"shape": [2, 2], "data": "AAAA", "dtype": "int8"}'), "application/json", {}),
      {
        status: 400,
        code: "ERR_VALIDATION",
      },
    );
    await assert.rejects(probeInput(enc("{not json"), "application/json", {}), { status: 400, code: "ERR_JSON" });
  });
});
