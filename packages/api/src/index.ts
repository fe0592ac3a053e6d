export { appRouter, type AppRouter, type AppRouterOutputs } from "./root";
export { createCallerFactory, type ProcedureMeta } from "./trpc";
export type { ApiContext } from "./context";
export {
  databaseUnavailableMessage,
  queueUnavailableMessage,
  redisUnavailableMessage,
  toTrpcError,
} from "./errors";
