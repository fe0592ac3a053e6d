import { createEslintConfig } from "@hubfed/config/eslint";

export default createEslintConfig({ rootDirectory: import.meta.dirname });
