/** The few Redis commands the heartbeat needs (ioredis satisfies it). */
export interface HeartbeatStore {
  set(key: string, value: string, expiryMode: "EX", seconds: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

export interface WorkerHeartbeat {
  workerId: string;
  beatAt: string;
}

export const workerHeartbeatKey = "hubfed:worker:heartbeat";
// Kept a little longer than the health threshold so a stale beat is still
// readable (and reported as stale) rather than simply missing.
const heartbeatTtlSeconds = 300;

export async function recordWorkerHeartbeat(
  store: HeartbeatStore,
  workerId: string,
  now: Date = new Date(),
): Promise<WorkerHeartbeat> {
  const heartbeat: WorkerHeartbeat = { workerId, beatAt: now.toISOString() };
  await store.set(workerHeartbeatKey, JSON.stringify(heartbeat), "EX", heartbeatTtlSeconds);
  return heartbeat;
}

export async function readWorkerHeartbeat(
  store: HeartbeatStore,
): Promise<WorkerHeartbeat | undefined> {
  return parseWorkerHeartbeat(await store.get(workerHeartbeatKey));
}

/** The heartbeat as stored, or undefined when there is none (or it is not one). */
export function parseWorkerHeartbeat(raw: string | null): WorkerHeartbeat | undefined {
  if (!raw) return undefined;
  let parsed: Partial<WorkerHeartbeat>;
  try {
    parsed = JSON.parse(raw) as Partial<WorkerHeartbeat>;
  } catch {
    return undefined;
  }
  return typeof parsed.workerId === "string" && typeof parsed.beatAt === "string"
    ? { workerId: parsed.workerId, beatAt: parsed.beatAt }
    : undefined;
}
