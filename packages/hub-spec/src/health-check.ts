/**
 * The synthetic user `hubfed health-check <hub>` signs in as: the portal's service on every hub
 * may create this one user, start and stop its server and use it, and no other user's. Real
 * people never get this name: the portal's usernames come from institutions' accounts and
 * cannot start with "hubfed-".
 */
export const healthCheckUserName = "hubfed-health-check";

/**
 * The hub service whose token the health check uses: a service of its own, not the portal's
 * metering service, so neither token carries the other's rights.
 */
export const healthCheckServiceName = "hubfed-health-check";

/**
 * JupyterHub scopes, each filtered to the health-check user (RBAC filters, JupyterHub ≥ 2):
 * create it (admin:users), start, watch and stop its server (servers), and reach the server's
 * API (access:servers) to run a cell.
 */
export const healthCheckScopes = [
  `admin:users!user=${healthCheckUserName}`,
  `servers!user=${healthCheckUserName}`,
  `access:servers!user=${healthCheckUserName}`,
] as const;
