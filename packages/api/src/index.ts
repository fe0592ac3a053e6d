export { appRouter, type AppRouter } from "./root";
export { createCallerFactory, type ProcedureMeta } from "./trpc";
export type { ApiContext } from "./context";
