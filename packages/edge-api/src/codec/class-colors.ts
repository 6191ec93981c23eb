import type { ModelContract } from "@bcpseg/core";

// Background transparent-black, then a colour-blind-friendly cycle (Okabe-Ito).
const CYCLE = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"];

/** #rrggbb per class index: the contract's colour, else black for class 0 and a fixed cycle for the rest. */
export function classColors(contract: ModelContract): string[] {
  const out: string[] = [];
  for (const c of contract.classes)
    out[c.index] = c.color ?? (c.index === 0 ? "#000000" : CYCLE[(c.index - 1) % CYCLE.length]);
  return out;
}

/** [r, g, b] of a #rrggbb colour. */
export function rgbOf(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
