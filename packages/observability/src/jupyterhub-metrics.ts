import { parsePrometheusText, sampleValue } from "./prometheus-text";

/**
 * A hub's own view of itself, from JupyterHub's Prometheus endpoint (/hub/metrics), the same on
 * both runtimes (Debian's JupyterHub on the local one, the Zero to JupyterHub image on
 * Kubernetes). The gauges are null when this JupyterHub does not report them (active users
 * arrived in JupyterHub 4). The spawn figures count since the hub process started (0 before the
 * first spawn: the histogram's series appear with their first observation); a restart sets them
 * back to zero.
 */
export interface JupyterHubMetrics {
  /** jupyterhub_active_users{period="24h"}: users active in the last day. */
  activeUsers24h: number | null;
  /** jupyterhub_running_servers. */
  runningServers: number | null;
  /** jupyterhub_total_users. */
  totalUsers: number | null;
  /** jupyterhub_server_spawn_duration_seconds{status="success"}: spawns and their summed seconds. */
  spawnsSucceeded: number;
  spawnSecondsTotal: number;
  /** Spawns that failed (status "failure"). */
  spawnsFailed: number;
}

/**
 * Reads `<origin>/hub/metrics` with a service token whose role grants read:metrics (JupyterHub
 * authenticates Prometheus scrapes by default, so the metrics are not public).
 */
export async function readJupyterHubMetrics(
  origin: string,
  token: string,
  { timeoutMs = 10_000 } = {},
): Promise<JupyterHubMetrics> {
  const url = `${origin.replace(/\/+$/, "")}/hub/metrics`;
  const response = await fetch(url, {
    headers: { Authorization: `token ${token}` },
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`GET ${url}: HTTP ${response.status}`);
  }
  const samples = parsePrometheusText(await response.text());
  const spawn = "jupyterhub_server_spawn_duration_seconds";
  const whole = (value: number | undefined) => (value === undefined ? null : Math.round(value));
  return {
    activeUsers24h: whole(sampleValue(samples, "jupyterhub_active_users", { period: "24h" })),
    runningServers: whole(sampleValue(samples, "jupyterhub_running_servers")),
    totalUsers: whole(sampleValue(samples, "jupyterhub_total_users")),
    spawnsSucceeded: whole(sampleValue(samples, `${spawn}_count`, { status: "success" })) ?? 0,
    spawnSecondsTotal: sampleValue(samples, `${spawn}_sum`, { status: "success" }) ?? 0,
    spawnsFailed: whole(sampleValue(samples, `${spawn}_count`, { status: "failure" })) ?? 0,
  };
}
