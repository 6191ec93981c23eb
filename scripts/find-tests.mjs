// Lists *.test.ts files under a folder (node_modules and dist excluded), sorted, for the runners below; a file is
// itself.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function findTests(root, { exclude = [] } = {}) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".test.ts") && !exclude.some((e) => p.includes(e))) out.push(p);
    }
  };
  if (statSync(root).isFile()) return [root];
  walk(root);
  return out.sort();
}
