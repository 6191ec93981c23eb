import { ArgumentError } from "../errors/bcp-error.ts";

/**
 * An sRGB colour (#rrggbb) as DICOM's RecommendedDisplayCIELabValue: CIELab of the PCS (D50 white, PS3.3
 * C.10.7.1.1) scaled to unsigned 16 bits, L* 0..100 -> 0..65535 and a*, b* -128..127 -> 0..65535.
 * sRGB decoding (IEC 61966-2-1), linear RGB -> XYZ (D65), Bradford adaptation to D50, then CIE 1976 L*a*b*.
 */
export function rgbToDicomLab(hex: string): [number, number, number] {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) throw new ArgumentError("rgbToDicomLab", "hex", `must be #rrggbb, got ${hex}`);
  const v = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  // sRGB primaries already adapted to D50 by Bradford (Lindbloom's sRGB D50 matrix).
  const x = 0.4360747 * r + 0.3850649 * g + 0.1430804 * b;
  const y = 0.2225045 * r + 0.7168786 * g + 0.0606169 * b;
  const z = 0.0139322 * r + 0.0971045 * g + 0.7141733 * b;
  const [xn, yn, zn] = [0.96422, 1, 0.82521];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x / xn), f(y / yn), f(z / zn)];
  const L = 116 * fy - 16;
  const a = 500 * (fx - fy);
  const bb = 200 * (fy - fz);
  const clamp = (n: number) => Math.min(65535, Math.max(0, Math.round(n)));
  return [clamp((L * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((bb + 128) * 65535) / 255)];
}
