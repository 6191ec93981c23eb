/** Text placement of {@link Painter.text}. */
export interface TextStyle {
  readonly anchor?: "start" | "middle" | "end";
  readonly size?: number;
  readonly color?: string;
  /** Rotate -90° about (x, y) (vertical axis titles). */
  readonly vertical?: boolean;
}

/** The few drawing operations the charts use (implemented by the SVG painter). */
export interface Painter {
  readonly width: number;
  readonly height: number;
  rect(x: number, y: number, w: number, h: number, color: string): void;
  polyline(points: ReadonlyArray<readonly [number, number]>, color: string, width: number): void;
  text(x: number, y: number, text: string, style?: TextStyle): void;
}

/** Series colours (colour-blind safe, Okabe-Ito). */
export const PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"];
