/**
 * A small in-process cache for the interact hot path: code → link, course →
 * hubs, user+course → enrollment. Entries live a few seconds, so a link
 * archived, a hub that changed state or a student unenrolled on another
 * replica is seen within that time; this process drops its own entries at
 * once when it changes them (archiving a link, placing a student). Negative
 * enrollment answers are never cached: a student who has just joined must
 * not be told they are not enrolled.
 */
export class TtlCache<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, now = Date.now()): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: Value, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let toDrop = Math.ceil(this.maxEntries / 10);
      for (const oldest of this.entries.keys()) {
        this.entries.delete(oldest);
        if ((toDrop -= 1) <= 0) break;
      }
    }
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
