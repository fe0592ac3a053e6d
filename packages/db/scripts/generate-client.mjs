// Runs `prisma generate` offline. The Prisma CLI insists on locating its native
// schema engine before generating, even though generation never calls it, and
// that engine cannot be downloaded on our machines (REFERENCE §7). Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies the check.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const result = spawnSync("npx", ["prisma", "generate", "--config", "prisma.config.ts"], {
  cwd: repositoryRoot,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
