/** The few Redis commands the heartbeat needs (ioredis satisfies it). */
export interface HeartbeatStore {
  set(key: string, value: string, expiryMode: "EX", seconds: number): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

export interface WorkerHeartbeat {
  workerId: string;
  beatAt: string;
}

const heartbeatKey = "hubfed:worker:heartbeat";
// Kept a little longer than the health threshold so a stale beat is still
// readable (and reported as stale) rather than simply missing.
const heartbeatTtlSeconds = 300;

export async function recordWorkerHeartbeat(
  store: HeartbeatStore,
  workerId: string,
  now: Date = new Date(),
): Promise<WorkerHeartbeat> {
  const heartbeat: WorkerHeartbeat = { workerId, beatAt: now.toISOString() };
  await store.set(heartbeatKey, JSON.stringify(heartbeat), "EX", heartbeatTtlSeconds);
  return heartbeat;
}

export async function readWorkerHeartbeat(
  store: HeartbeatStore,
): Promise<WorkerHeartbeat | undefined> {
  const raw = await store.get(heartbeatKey);
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as Partial<WorkerHeartbeat>;
  return typeof parsed.workerId === "string" && typeof parsed.beatAt === "string"
    ? { workerId: parsed.workerId, beatAt: parsed.beatAt }
    : undefined;
}
