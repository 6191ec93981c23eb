// Text values (SH, LO, ST, LT, UT, PN, UC) in the character set a data set declares in Specific Character Set
// (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 6.1: one single-byte or multi-byte set without code extensions, or
// ISO 2022 code extensions switched by escape sequences inside the value.

/** The WHATWG encoding label of each character set without code extensions ("" = the default repertoire). */
const SETS: Readonly<Record<string, string>> = {
  "": "latin1",
  ISO_IR_6: "latin1",
  ISO_IR_100: "latin1",
  ISO_IR_101: "iso-8859-2",
  ISO_IR_109: "iso-8859-3",
  ISO_IR_110: "iso-8859-4",
  ISO_IR_144: "iso-8859-5",
  ISO_IR_127: "iso-8859-6",
  ISO_IR_126: "iso-8859-7",
  ISO_IR_138: "iso-8859-8",
  ISO_IR_148: "iso-8859-9",
  ISO_IR_203: "iso-8859-15",
  ISO_IR_13: "shift_jis",
  ISO_IR_166: "windows-874",
  ISO_IR_192: "utf-8",
  GB18030: "gb18030",
  GBK: "gbk",
};

/** What an ISO 2022 defined term designates: G0 (the 7-bit half) and G1 (the bytes with the high bit set). */
type G0 = "ascii" | "romaji" | "jisx0208" | "jisx0212";
type G1 = string | "katakana" | undefined;

const ISO_2022: Readonly<Record<string, { g0: G0; g1: G1 }>> = {
  ISO_2022_IR_6: { g0: "ascii", g1: undefined },
  ISO_2022_IR_100: { g0: "ascii", g1: "latin1" },
  ISO_2022_IR_101: { g0: "ascii", g1: "iso-8859-2" },
  ISO_2022_IR_109: { g0: "ascii", g1: "iso-8859-3" },
  ISO_2022_IR_110: { g0: "ascii", g1: "iso-8859-4" },
  ISO_2022_IR_144: { g0: "ascii", g1: "iso-8859-5" },
  ISO_2022_IR_127: { g0: "ascii", g1: "iso-8859-6" },
  ISO_2022_IR_126: { g0: "ascii", g1: "iso-8859-7" },
  ISO_2022_IR_138: { g0: "ascii", g1: "iso-8859-8" },
  ISO_2022_IR_148: { g0: "ascii", g1: "iso-8859-9" },
  ISO_2022_IR_203: { g0: "ascii", g1: "iso-8859-15" },
  ISO_2022_IR_166: { g0: "ascii", g1: "windows-874" },
  ISO_2022_IR_13: { g0: "romaji", g1: "katakana" },
  ISO_2022_IR_87: { g0: "jisx0208", g1: undefined },
  ISO_2022_IR_159: { g0: "jisx0212", g1: undefined },
  ISO_2022_IR_149: { g0: "ascii", g1: "euc-kr" },
  ISO_2022_IR_58: { g0: "ascii", g1: "gb18030" },
};

/** Escape sequences (the bytes after ESC) and what they designate. */
const ESCAPES: ReadonlyArray<readonly [readonly number[], { g0: G0 } | { g1: G1 }]> = [
  [[0x28, 0x42], { g0: "ascii" }], // ESC ( B  ISO-IR 6
  [[0x28, 0x4a], { g0: "romaji" }], // ESC ( J  ISO-IR 14
  [[0x29, 0x49], { g1: "katakana" }], // ESC ) I  ISO-IR 13
  [[0x24, 0x42], { g0: "jisx0208" }], // ESC $ B  ISO-IR 87
  [[0x24, 0x28, 0x44], { g0: "jisx0212" }], // ESC $ ( D  ISO-IR 159
  [[0x24, 0x29, 0x43], { g1: "euc-kr" }], // ESC $ ) C  ISO-IR 149
  [[0x24, 0x29, 0x41], { g1: "gb18030" }], // ESC $ ) A  ISO-IR 58
  [[0x2d, 0x41], { g1: "latin1" }], // ESC - A  ISO-IR 100
  [[0x2d, 0x42], { g1: "iso-8859-2" }],
  [[0x2d, 0x43], { g1: "iso-8859-3" }],
  [[0x2d, 0x44], { g1: "iso-8859-4" }],
  [[0x2d, 0x4c], { g1: "iso-8859-5" }],
  [[0x2d, 0x47], { g1: "iso-8859-6" }],
  [[0x2d, 0x46], { g1: "iso-8859-7" }],
  [[0x2d, 0x48], { g1: "iso-8859-8" }],
  [[0x2d, 0x4d], { g1: "iso-8859-9" }],
  [[0x2d, 0x62], { g1: "iso-8859-15" }],
  [[0x2d, 0x54], { g1: "windows-874" }],
];

/** A defined term in its canonical spelling, with the common variants ("ISO-IR 100", "ISO_IR100") mended. */
function canonicalTerm(term: string): string {
  const t = term.trim().toUpperCase();
  const m2022 = /^ISO[\s_-]*2022[\s_-]*IR[\s_-]*(\d+)$/.exec(t);
  if (m2022) return `ISO_2022_IR_${Number(m2022[1])}`;
  const m = /^ISO[\s_-]*IR[\s_-]*(\d+)$/.exec(t);
  if (m) return `ISO_IR_${Number(m[1])}`;
  if (t === "UTF-8" || t === "UTF8") return "ISO_IR_192";
  return t;
}

/** The terms of Specific Character Set as read from the data set (backslash-separated; first may be empty). */
export function characterSetTerms(value: string): string[] {
  return value === "" ? [] : value.split("\\").map(canonicalTerm);
}

const decoders = new Map<string, TextDecoder | null>();

/** A cached decoder for a WHATWG label; null where this runtime has no such encoding (then latin-1 is used). */
function decoder(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    decoders.set(label, d);
  }
  return d;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

function decodeWith(label: string | undefined, bytes: Uint8Array): string {
  const d = label === undefined || label === "latin1" ? null : decoder(label);
  return d === null ? latin1(bytes) : d.decode(bytes);
}

/**
 * Decodes the bytes of one text attribute in the data set's character set (`terms` from {@link characterSetTerms}).
 * Without code extensions the whole value is one encoding (UTF-8 for ISO_IR 192). With ISO 2022 terms the value
 * switches sets by escape sequences (Japanese JIS X 0201/0208, Korean KS X 1001, Chinese GB 2312, the ISO 8859
 * parts), and each component group of a person name starts again in the first term's sets. A set this runtime
 * cannot decode (JIS X 0212, an unknown term) is read as latin-1, as a reader without character sets would.
 */
export function decodeDicomText(bytes: Uint8Array, terms: readonly string[]): string {
  const first = terms[0] ?? "";
  if (!terms.some((t) => t.startsWith("ISO_2022_"))) return decodeWith(SETS[first] ?? "latin1", bytes);
  const initial = ISO_2022[first] ?? { g0: "ascii" as G0, g1: SETS[first] };
  let g0 = initial.g0;
  let g1 = initial.g1;
  let out = "";
  let start = 0;
  const flush = (end: number) => {
    if (end > start) out += decodeRun(bytes.subarray(start, end), g0, g1);
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b) {
      flush(i);
      const hit = ESCAPES.find(([seq]) => seq.every((x, k) => bytes[i + 1 + k] === x));
      if (hit) {
        if ("g0" in hit[1]) g0 = hit[1].g0;
        else g1 = hit[1].g1;
        i += hit[0].length;
      }
      start = i + 1;
    } else if ((g0 === "ascii" || g0 === "romaji") && isDelimiter(b)) {
      // PS3.5 6.1.2.5.3: the initial designations are back in force after a delimiter.
      flush(i + 1);
      start = i + 1;
      g0 = initial.g0;
      g1 = initial.g1;
    }
  }
  flush(bytes.length);
  return out;
}

/** Value and person-name component delimiters and the control characters after which designations reset. */
const isDelimiter = (b: number) => b === 0x5e || b === 0x3d || b === 0x5c || b === 0x0d || b === 0x0a || b === 0x09;

function decodeRun(run: Uint8Array, g0: G0, g1: G1): string {
  if (g0 === "jisx0208") {
    const framed = new Uint8Array(run.length + 6);
    framed.set([0x1b, 0x24, 0x42]);
    framed.set(run, 3);
    framed.set([0x1b, 0x28, 0x42], run.length + 3);
    return decodeWith("iso-2022-jp", framed);
  }
  if (g0 === "jisx0212") return "\ufffd".repeat(Math.ceil(run.length / 2));
  if (g1 !== "katakana" && g0 === "ascii") return decodeWith(g1, run);
  let s = "";
  for (const b of run) {
    if (b < 0x80)
      s += g0 === "romaji" && b === 0x5c ? "\u00a5" : g0 === "romaji" && b === 0x7e ? "\u203e" : String.fromCharCode(b);
    else if (g1 === "katakana") s += b >= 0xa1 && b <= 0xdf ? String.fromCharCode(0xff61 + b - 0xa1) : "\ufffd";
    else s += decodeWith(g1, Uint8Array.of(b));
  }
  return s;
}
