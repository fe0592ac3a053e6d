// `npm test`: lint, typecheck, unit, integration and end-to-end tests (see README.md).
import { ensureDependencies, ensurePrismaClient, runTypeScript } from "./bootstrap.mjs";

try {
  ensureDependencies();
  ensurePrismaClient();
} catch (error) {
  console.error(`[hubfed] ${error.message}`);
  process.exit(1);
}
runTypeScript("scripts/run-tests.ts", process.argv.slice(2));
