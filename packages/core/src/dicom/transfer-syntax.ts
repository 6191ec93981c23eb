/** How a transfer syntax encodes a data set and its pixel data. */
export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  /** Explicit VR (false: implicit VR little endian). */
  readonly explicit: boolean;
  readonly littleEndian: boolean;
  /** The data set after the file meta group is a raw deflate stream. */
  readonly deflated: boolean;
  /** Pixel data is stored as is (not encapsulated); only these are decoded. */
  readonly native: boolean;
}

const native = (uid: string, name: string, explicit: boolean, littleEndian: boolean, deflated = false) => ({
  uid,
  name,
  explicit,
  littleEndian,
  deflated,
  native: true,
});
const encapsulated = (uid: string, name: string) => ({
  uid,
  name,
  explicit: true,
  littleEndian: true,
  deflated: false,
  native: false,
});

/** The transfer syntaxes of PS3.5 (section 10 and annex A) this reader knows by name. */
export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntax>> = Object.fromEntries(
  [
    native("1.2.840.10008.1.2", "Implicit VR Little Endian", false, true),
    native("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true),
    native("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, true),
    native("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false),
    encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
    encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
    encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
    encapsulated(
      "1.2.840.10008.1.2.4.70",
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])",
    ),
    encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
    encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
    encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
    encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
    encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
    encapsulated(
      "1.2.840.10008.1.2.4.202",
      "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    ),
    encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
    encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
    encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
    encapsulated("1.2.840.10008.1.2.5", "RLE Lossless"),
  ].map((t) => [t.uid, t]),
);

/** The transfer syntax of a UID; an unknown one reads as encapsulated explicit VR little endian (PS3.5 A.4). */
export function transferSyntaxOf(uid: string): TransferSyntax {
  return TRANSFER_SYNTAXES[uid] ?? encapsulated(uid, "unknown transfer syntax");
}
