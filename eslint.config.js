// Lints what lives outside the workspaces: scripts/, e2e/, bench/ and root configs.
// Each workspace lints itself (turbo run lint).
import { createEslintConfig } from "./packages/config/eslint.config.js";

export default createEslintConfig({
  rootDirectory: import.meta.dirname,
  // .tools/ holds the Node.js fetched for older machines (ADR 0015).
  ignores: ["apps/**", "packages/**", "coverage/**", "test-results/**", ".tools/**"],
});
