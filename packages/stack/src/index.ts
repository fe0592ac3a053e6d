export { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./postgres";
export { startRedis, ensureRedisServerBinary, type RedisHandle } from "./redis";
export { startTestServices, type TestServices } from "./test-services";
export { findFreePort, isPortOpen, waitFor } from "./ports";
export { startProcess, type ManagedProcess } from "./processes";
export {
  ensureDebianPackages,
  jupyterHubPackages,
  chromiumPackages,
  type DebianRequirement,
} from "./debian";
export { createSelfSignedCertificate, type SelfSignedCertificate } from "./certificates";
export { startStallingProxy, type StallingProxy } from "./stalling-proxy";
