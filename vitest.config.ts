import { defineConfig } from "vitest/config";

const shared = { exclude: ["**/node_modules/**", "**/.next/**", "e2e/**"] };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["{apps,packages,scripts,charts}/**/*.test.ts"],
          exclude: [...shared.exclude, "**/*.int.test.ts"],
        },
      },
      {
        test: {
          ...shared,
          name: "integration",
          // Runs after the unit tests, two files at a time: the machine has two cores.
          sequence: { groupOrder: 1 },
          include: ["{apps,packages,scripts}/**/*.int.test.ts"],
          globalSetup: ["./vitest.global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
