/**
 * How a hub keeps a signed-in person's roles current (JupyterHub's `Authenticator.auth_refresh_age`
 * and `refresh_pre_spawn`, the same on every runtime). Every this many seconds, and before every
 * spawn, the hub asks the portal's userinfo for the person's course roles again (with their
 * refresh token once the access token has expired). A person removed from the course or no
 * longer staff loses access, or admin, within this time even if the hub missed the portal's
 * direct removal. Each refresh is one userinfo call per active person.
 */
export const hubSignInRefreshSeconds = 120;
