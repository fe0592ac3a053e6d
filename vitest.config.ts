import { defineConfig } from "vitest/config";

const shared = { exclude: ["**/node_modules/**", "**/.next/**", "e2e/**"] };

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: "unit", include: ["{apps,packages}/**/*.test.ts"], exclude: [...shared.exclude, "**/*.int.test.ts"] },
      },
      {
        test: {
          ...shared,
          name: "integration",
          include: ["{apps,packages}/**/*.int.test.ts"],
          globalSetup: ["./vitest.global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
