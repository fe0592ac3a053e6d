export { AppError, isAppError, type AppErrorCode } from "./errors";
export * from "./health";
export * from "./credits";
export * from "./demo";
export * from "./people";
export * from "./regions";
export { listRegions } from "./regions/list-regions";
