// `npm start`: the whole federation on this machine (see README.md).
import { ensureDependencies, ensurePrismaClient, runTypeScript } from "./bootstrap.mjs";

try {
  ensureDependencies();
  ensurePrismaClient();
} catch (error) {
  console.error(`[hubfed] ${error.message}`);
  process.exit(1);
}
runTypeScript("scripts/start-federation.ts", process.argv.slice(2));
