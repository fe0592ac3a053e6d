// Lints what lives outside the workspaces: scripts/, e2e/, bench/ and root configs.
// Each workspace lints itself (turbo run lint).
import { createEslintConfig } from "./packages/config/eslint.config.js";

export default createEslintConfig({
  rootDirectory: import.meta.dirname,
  ignores: ["apps/**", "packages/**", "coverage/**", "test-results/**"],
});
