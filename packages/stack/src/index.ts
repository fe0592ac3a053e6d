export { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./postgres";
export { startRedis, ensureRedisServerBinary, type RedisHandle } from "./redis";
export { startTestServices, type TestServices } from "./test-services";
export { findFreePort, isPortOpen, waitFor } from "./ports";
export { startProcess, type ManagedProcess, type StartProcessOptions } from "./processes";
export {
  superviseProcess,
  defaultRestartPolicy,
  type SupervisedProcess,
  type RestartPolicy,
  type ProcessRestart,
} from "./supervised-process";
export {
  ensureDebianPackages,
  jupyterHubPackages,
  chromiumPackages,
  type DebianRequirement,
} from "./debian";
export { createSelfSignedCertificate, type SelfSignedCertificate } from "./certificates";
export { startStallingProxy, type StallingProxy } from "./stalling-proxy";
