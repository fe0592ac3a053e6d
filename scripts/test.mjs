// `npm test`: lint, typecheck, unit, integration and end-to-end tests (see README.md).
import { bootstrapAndRun } from "./bootstrap.mjs";

bootstrapAndRun("scripts/run-tests.ts");
