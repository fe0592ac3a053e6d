// No "server-only" here: apps/portal/server.ts uses it outside Next, under tsx.
import { createLogger, type Logger } from "@hubfed/observability";
import { portalEnvironment } from "../env";

// One logger for the process, kept on globalThis: server.ts and Next's bundle each load this
// module, and both must write through the same stream.
const loggerKey = Symbol.for("hubfed.portal.logger");
const holder = globalThis as typeof globalThis & { [loggerKey]?: Logger };

/** The portal's logger (JSON lines with the request id; see @hubfed/observability). */
export function portalLogger(): Logger {
  return (holder[loggerKey] ??= createLogger({
    component: "portal",
    level: portalEnvironment().LOG_LEVEL,
  }));
}
