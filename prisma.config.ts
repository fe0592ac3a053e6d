// Prisma CLI configuration. The CLI is used only for `prisma generate` here;
// migrations are created and applied by packages/db (ADR 0001) because the
// CLI's native schema engine cannot be downloaded on our machines.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/hubfed" },
});
