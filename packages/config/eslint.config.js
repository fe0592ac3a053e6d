// Shared ESLint preset: type-aware typescript-eslint rules for every workspace.
// Each workspace re-exports it from its own eslint.config.js so `eslint .`
// resolves the workspace's tsconfig through the project service.
import path from "node:path";
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { boundaryConfigs } from "./boundaries.js";

const repositoryRoot = path.resolve(import.meta.dirname, "../..");

export function createEslintConfig({ rootDirectory, ignores = [] }) {
  return tseslint.config(
    { ignores: ["**/node_modules/**", "**/.next/**", "**/generated/**", "**/dist/**", ...ignores] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir: rootDirectory },
      },
      rules: {
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
        ],
        "@typescript-eslint/consistent-type-imports": [
          "error",
          { fixStyle: "inline-type-imports" },
        ],
        "@typescript-eslint/no-floating-promises": "error",
        "@typescript-eslint/only-throw-error": "error",
        "no-console": "off",
      },
    },
    // The layers: which package may import which, core's domain order, where
    // process.env is read (boundaries.js). The root config lints scripts/,
    // e2e/ and bench/, which are programs, not layers.
    ...(rootDirectory === repositoryRoot
      ? []
      : boundaryConfigs(path.relative(repositoryRoot, rootDirectory))),
    {
      files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
      ...tseslint.configs.disableTypeChecked,
    },
  );
}
