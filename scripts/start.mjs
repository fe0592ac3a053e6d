// `npm start`: the whole federation on this machine (see README.md).
import { bootstrapAndRun } from "./bootstrap.mjs";

bootstrapAndRun("scripts/start-federation.ts");
