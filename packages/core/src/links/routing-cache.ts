/**
 * A small in-process cache for the interact hot path: code → link, course →
 * hubs, user+course → enrollment. Entries live a few seconds, so a link
 * archived, a hub that changed state or a student unenrolled on another
 * replica is seen within that time; this process drops its own entries at
 * once when it changes them (archiving a link, placing a student). Negative
 * enrollment answers are never cached: a student who has just joined must
 * not be told they are not enrolled.
 *
 * `load` is how the hot path reads it, and it never lets a lecture's worth of
 * clicks reach the database at once (issue 21: every expiry sent each waiting
 * request to the database — 50 queries per key on a pool of 5 — and that queue
 * was the redirect's 1 s tail): concurrent misses of one key share one load, and
 * an entry read in the last fifth of its life is reloaded in the background
 * while it is still served, so a key in steady use never expires under its
 * readers. A value is never served older than its time to live.
 */
export class TtlCache<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<Value>>();

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

  /**
   * The cached value, or `loader`'s (one load per key at a time); a loaded value is kept only
   * when `keep` says so (the enrollment cache keeps no negative answers).
   */
  load(
    key: string,
    loader: () => Promise<Value>,
    keep: (value: Value) => boolean = () => true,
  ): Promise<Value> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      if (entry.expiresAt - now < this.ttlMs / 5 && !this.loading.has(key))
        // A failed refresh leaves the entry to expire; the next reader loads it again.
        this.refresh(key, loader, keep).catch(() => undefined);
      return Promise.resolve(entry.value);
    }
    return this.loading.get(key) ?? this.refresh(key, loader, keep);
  }

  private refresh(
    key: string,
    loader: () => Promise<Value>,
    keep: (value: Value) => boolean,
  ): Promise<Value> {
    const load = loader().then(
      (value) => {
        // Dropped (delete, clear) while it loaded: the value may predate the change.
        if (this.loading.get(key) === load) {
          this.loading.delete(key);
          if (keep(value)) this.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === load) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, load);
    return load;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }
}
