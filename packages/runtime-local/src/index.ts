export {
  localHubSchema,
  localHubSpecSchema,
  localHubAuthenticationSchema,
  parseLocalHub,
  localHubPaths,
  localHubOrigin,
  localHubPublicOrigin,
  localHubCallbackUrl,
  localStudentAccountPrefix,
  localHubCgroupName,
  type LocalHub,
  type LocalHubInput,
  type LocalHubSpec,
  type LocalHubPorts,
  type LocalHubPathSet,
} from "./hub";
export {
  renderJupyterhubConfig,
  renderSingleUserJupyterConfig,
  renderLocalHubFiles,
  writeLocalHubFiles,
  readIdleCullerScript,
  readAuthenticatorModule,
  cullIntervalSeconds,
  localHubMarkerVariable,
  portalServiceName,
  portalServiceScopes,
  idleCullerServiceName,
  idleCullerScopes,
  usernamePattern,
  type LocalHubFile,
} from "./config";
export { toPythonLiteral, toPythonString, type PythonValue } from "./python-literal";
export {
  allocateHubPorts,
  listCandidatePorts,
  isPortAvailable,
  portsPerHub,
  type PortRange,
  type AllocateHubPortsOptions,
} from "./ports";
export {
  LocalHubSupervisor,
  buildLocalHubEnvironment,
  isAllowedInLocalHubEnvironment,
  localHubEnvironmentAllowList,
  type LocalHubSupervisorOptions,
  type HubStartResult,
  type HubRestartEvent,
  type HubGiveUpEvent,
  type RestartBackoff,
} from "./supervisor";
export {
  checkLocalHubHealth,
  listActiveServers,
  type LocalHubEndpoint,
  type LocalHubHealth,
  type ActiveServer,
  type ActiveServers,
} from "./health";
export { decommissionLocalHub, archiveUserHome, type UserHomeArchive } from "./archive";
export { listLocalHubProcesses, stopLocalHubProcessesUnder } from "./processes";
export {
  listLocalStudentAccounts,
  removeLocalStudentAccounts,
  removeLocalHubCgroups,
  releaseLocalHubsUnder,
  listMountedHomes,
  checkDataDirectoryReachable,
  createTemporaryHubsDirectory,
  type LocalStudentAccount,
} from "./accounts";
export { readLocalHubLimits, describeLocalHubLimits, type LocalHubLimits } from "./limits";
