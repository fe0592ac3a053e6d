// Shared ESLint preset: type-aware typescript-eslint rules for every workspace.
// Each workspace re-exports it from its own eslint.config.js so `eslint .`
// resolves the workspace's tsconfig through the project service.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

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
    {
      files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
      ...tseslint.configs.disableTypeChecked,
    },
  );
}
