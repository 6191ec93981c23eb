import { formatTable } from "./table.ts";

/** Per-class scores of one model as evaluations report them. */
export interface ScoredModel {
  readonly name: string;
  readonly perClass: ReadonlyArray<{ readonly class: number; readonly dice: number }>;
  readonly mean: { readonly dice: number };
}

/** The Dice table: one row per class (named), one column per model, then the mean. */
export function diceTable(classNames: readonly string[], models: readonly ScoredModel[]): string {
  const rows: Array<Array<string | number>> = [];
  const classes = models[0]?.perClass.map((m) => m.class) ?? [];
  for (const k of classes) {
    rows.push([
      classNames[k] ?? `class ${k}`,
      ...models.map((m) => m.perClass.find((c) => c.class === k)?.dice ?? Number.NaN),
    ]);
  }
  rows.push(["mean", ...models.map((m) => m.mean.dice)]);
  return formatTable(["Dice", ...models.map((m) => m.name)], rows);
}
