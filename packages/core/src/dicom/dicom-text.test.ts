import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { pydicomMissing } from "../../test/pydicom-reference.ts";
import { characterSetTerms, decodeDicomText } from "./dicom-text.ts";
import { readDicom } from "./read-dicom.ts";

const bytes = (s: string) => new TextEncoder().encode(s);
const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

describe("decodeDicomText", () => {
  it("decodes one set without code extensions (hand table)", () => {
    assert.equal(decodeDicomText(bytes("Zoë^Ærø"), characterSetTerms("ISO_IR 192")), "Zoë^Ærø");
    assert.equal(decodeDicomText(hex("4275635ee9727ee46d65"), characterSetTerms("ISO_IR 100")), "Buc^ér~äme");
    assert.equal(decodeDicomText(hex("c4e9eff0"), characterSetTerms("ISO_IR 126")), "Διοπ");
    assert.equal(decodeDicomText(bytes("plain"), []), "plain");
    // Common misspellings of the defined terms read as the terms they mean.
    assert.deepEqual(characterSetTerms("ISO-IR 100\\iso 2022 ir 87"), ["ISO_IR_100", "ISO_2022_IR_87"]);
    assert.equal(decodeDicomText(hex("e9"), characterSetTerms("ISO IR100")), "é");
  });

  it("reads an unknown set as latin-1, as before character sets were read", () => {
    assert.equal(decodeDicomText(hex("41e942"), characterSetTerms("NO SUCH SET")), "AéB");
  });

  it("switches sets on ISO 2022 escapes and resets them at person-name delimiters (PS3.5 H.3.1)", () => {
    // Yamada^Tarou=ESC$B;3ED ESC(B^ESC$BB@O: ESC(B  (the standard's example, first two groups)
    const pn = hex("59616d6164615e5461726f753d1b24423b334544" + "1b28425e1b244242404f3a1b2842");
    assert.equal(decodeDicomText(pn, characterSetTerms("\\ISO 2022 IR 87")), "Yamada^Tarou=山田^太郎");
    // A designation left open before a delimiter does not leak into the next group.
    const open = hex("1b2d41e93de9");
    assert.equal(decodeDicomText(open, characterSetTerms("\\ISO 2022 IR 100")), "é=é");
    assert.equal(decodeDicomText(hex("1b2d41e9"), characterSetTerms("ISO 2022 IR 6")), "é");
  });
});

describe("decodeDicomText: pydicom's character set files (Debian python3-pydicom)", () => {
  const missing = pydicomMissing();
  const script = `
import glob, json, os, pydicom
d = os.path.join(os.path.dirname(pydicom.__file__), "data", "charset_files")
out = []
for f in sorted(glob.glob(os.path.join(d, "*.dcm"))):
    ds = pydicom.dcmread(f)
    raw = pydicom.dcmread(f, defer_size=None)
    if "PatientName" not in ds: continue
    cs = raw.get("SpecificCharacterSet", "")
    cs = "\\\\".join(cs) if isinstance(cs, pydicom.multival.MultiValue) else str(cs)
    out.append(dict(file=f, charset=cs, raw=ds["PatientName"].value.original_string.hex(), name=str(ds.PatientName), pixels="PixelData" in ds))
print(json.dumps(out))
`;
  const run = missing ? undefined : spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" });
  const files: Array<{ file: string; charset: string; raw: string; name: string; pixels: boolean }> =
    run?.status === 0 ? JSON.parse(run.stdout) : [];
  const skip = missing ?? (files.length > 0 ? false : `pydicom's charset_files are not installed (${run?.stderr})`);

  // pydicom's str() of a person name drops empty trailing component groups ("A=B=" -> "A=B"); the value keeps them.
  const groups = (pn: string) => pn.replace(/=+$/, "");

  it("every PatientName decodes to pydicom's string", { skip }, () => {
    assert.ok(files.length >= 12, `${files.length} files`);
    for (const f of files) {
      const got = decodeDicomText(hex(f.raw), characterSetTerms(f.charset)).replace(/[\0 ]+$/, "");
      assert.equal(groups(got), f.name, `${f.file} (${f.charset})`);
    }
  });

  it("readDicom gives pydicom's PatientName for the files with pixels", { skip }, () => {
    const withPixels = files.filter((f) => f.pixels);
    assert.ok(withPixels.length >= 8);
    for (const f of withPixels) {
      assert.equal(groups(readDicom(new Uint8Array(readFileSync(f.file))).patientName), f.name, f.file);
    }
  });
});
