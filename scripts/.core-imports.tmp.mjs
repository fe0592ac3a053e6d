import ts from "typescript";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
const spec = process.argv[2] ?? "@hubfed/core";
const files = execSync(`git ls-files '*.ts' '*.tsx'`, { encoding: "utf8" }).split("\n").filter(Boolean).filter(f => !f.startsWith("packages/core/"));
const names = new Map();
for (const f of files) {
  const src = ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true);
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st) && st.moduleSpecifier.text === spec && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      for (const el of st.importClause.namedBindings.elements) {
        const n = (el.propertyName ?? el.name).text;
        if (!names.has(n)) names.set(n, new Set());
        names.get(n).add(f.split("/").slice(0,2).join("/"));
      }
    }
  }
}
console.log(JSON.stringify([...names.keys()].sort()));
