import { z } from "zod";
import { localHubOrigin, type LocalHub } from "./hub";

export type LocalHubEndpoint = Pick<LocalHub, "ports" | "publicHost">;

export interface LocalHubHealth {
  isHealthy: boolean;
  version?: string;
  detail: string;
}

const hubRootSchema = z.object({ version: z.string() });

/** Asks `/hub/api/` through the proxy, so a healthy answer means proxy and hub both work. */
export async function checkLocalHubHealth(
  hub: LocalHubEndpoint,
  { timeoutMs = 5_000 } = {},
): Promise<LocalHubHealth> {
  const url = `${localHubOrigin(hub)}/hub/api/`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { isHealthy: false, detail: `${url}: ${describeFetchError(error)}` };
  }
  const body = await response.text();
  if (!response.ok) return { isHealthy: false, detail: `${url}: HTTP ${response.status}` };
  const parsed = hubRootSchema.safeParse(parseJson(body));
  if (!parsed.success) return { isHealthy: false, detail: `${url}: not a JupyterHub API answer` };
  return {
    isHealthy: true,
    version: parsed.data.version,
    detail: `JupyterHub ${parsed.data.version}`,
  };
}

const serverSchema = z.object({
  name: z.string(),
  ready: z.boolean(),
  pending: z.string().nullable().optional(),
  started: z.string().nullable().optional(),
  last_activity: z.string().nullable().optional(),
});

const userSchema = z.object({
  name: z.string(),
  servers: z.record(z.string(), serverSchema).optional(),
});

const userPageSchema = z.object({
  items: z.array(userSchema),
  _pagination: z.object({
    next: z.object({ offset: z.number().int() }).nullable().optional(),
  }),
});

export interface ActiveServer {
  userName: string;
  /** "" for the default server. */
  serverName: string;
  isReady: boolean;
  startedAt: Date | null;
  lastActivityAt: Date | null;
}

export interface ActiveServers {
  userCount: number;
  serverCount: number;
  readyServerCount: number;
  servers: ActiveServer[];
}

/**
 * The users with a running or starting server, through the portal service's token (its role
 * grants list:users, read:users:activity and read:servers). Follows JupyterHub's pagination.
 */
export async function listActiveServers(
  hub: LocalHubEndpoint,
  token: string,
  { pageSize = 200, timeoutMs = 10_000 } = {},
): Promise<ActiveServers> {
  const servers: ActiveServer[] = [];
  const userNames = new Set<string>();
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const query = new URLSearchParams({
      state: "active",
      offset: String(offset),
      limit: String(pageSize),
    });
    const url = `${localHubOrigin(hub)}/hub/api/users?${query.toString()}`;
    const response = await fetch(url, {
      headers: {
        Authorization: `token ${token}`,
        Accept: "application/jupyterhub-pagination+json",
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
    }
    const page = userPageSchema.parse(await response.json());
    for (const user of page.items) {
      for (const server of Object.values(user.servers ?? {})) {
        userNames.add(user.name);
        servers.push({
          userName: user.name,
          serverName: server.name,
          isReady: server.ready,
          startedAt: parseDate(server.started),
          lastActivityAt: parseDate(server.last_activity),
        });
      }
    }
    offset = page._pagination.next?.offset;
  }
  return {
    userCount: userNames.size,
    serverCount: servers.length,
    readyServerCount: servers.filter((server) => server.isReady).length,
    servers,
  };
}

function parseDate(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
