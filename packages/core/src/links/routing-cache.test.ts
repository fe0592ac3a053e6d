import { afterEach, describe, expect, it, vi } from "vitest";
import { TtlCache } from "./routing-cache";

afterEach(() => {
  vi.useRealTimers();
});

describe("TtlCache.load", () => {
  it("sends concurrent misses of one key to one load", async () => {
    const cache = new TtlCache<string>(5_000, 100);
    let loads = 0;
    const loader = async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return "value";
    };
    const values = await Promise.all(Array.from({ length: 50 }, () => cache.load("k", loader)));
    expect(values.every((value) => value === "value")).toBe(true);
    expect(loads).toBe(1);
  });

  it("reloads a key in steady use before it expires, serving it meanwhile, and never serves it past its life", async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = new TtlCache<number>(5_000, 100);
    let version = 0;
    const loader = () => Promise.resolve((version += 1));
    expect(await cache.load("k", loader)).toBe(1);
    vi.setSystemTime(3_000); // early in its life: served, not reloaded
    expect(await cache.load("k", loader)).toBe(1);
    expect(version).toBe(1);
    vi.setSystemTime(4_500); // its last fifth: still served, reloaded behind
    expect(await cache.load("k", loader)).toBe(1);
    expect(version).toBe(2);
    expect(await cache.load("k", loader)).toBe(2);
    vi.setSystemTime(20_000); // expired: loaded before it is answered
    expect(await cache.load("k", loader)).toBe(3);
  });

  it("keeps only what `keep` accepts, and forgets a load dropped while it ran", async () => {
    const cache = new TtlCache<string | null>(5_000, 100);
    let answer: string | null = null;
    const loader = () => Promise.resolve(answer);
    const notNull = (value: string | null) => value !== null;
    expect(await cache.load("k", loader, notNull)).toBeNull();
    answer = "joined";
    expect(await cache.load("k", loader, notNull)).toBe("joined");
    answer = "moved";
    const pending = cache.load("other", loader);
    cache.delete("other");
    await pending;
    expect(cache.get("other")).toBeUndefined();
  });
});
