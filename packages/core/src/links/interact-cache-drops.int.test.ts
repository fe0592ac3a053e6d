import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { testRedisUrl } from "@hubfed/db/testing";
import { createInteractCache, shareInteractCacheDrops } from "./interact-cache";

// Two portal processes, each with its own interact cache, over a real Redis: a record one of
// them drops (a link archived there) leaves the other's cache too, not seconds later when its
// entry would have expired.

const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(`${testRedisUrl()}/6`);
  connections.push(redis);
  return redis;
};
afterAll(() => {
  for (const redis of connections) redis.disconnect();
});

const link = {
  id: "link-1",
  courseId: "course-1",
  archivedAt: null,
  repositoryUrl: "https://github.com/example/course",
  branch: "main",
  path: "week1.ipynb",
  interface: "LAB" as const,
  targetPath: null,
  assignmentId: null,
};

function portalProcess() {
  // Long-lived entries: only a drop can remove them within the test.
  const cache = createInteractCache({ ttlMs: 60_000 });
  const drops = shareInteractCacheDrops({ publisher: connect(), subscriber: connect(), cache });
  return { cache, drops };
}

describe("interact cache drops across portal processes", () => {
  it("drops a changed record from every process's cache, the one that changed it first", async () => {
    const first = portalProcess();
    const second = portalProcess();
    await Promise.all([first.drops.ready, second.drops.ready]);
    for (const { cache } of [first, second]) {
      await cache.links.load("wk1", () => Promise.resolve(link));
      await cache.courses.load("slug:data-101", () => Promise.resolve(null));
    }
    let loads = 0;
    const reload = () => {
      loads++;
      return Promise.resolve({ ...link, archivedAt: new Date() });
    };

    first.drops.drop("links", "wk1");
    // At once where it was dropped…
    expect((await first.cache.links.load("wk1", reload))?.archivedAt).toBeInstanceOf(Date);
    // …and, through Redis, in the other process.
    await expect
      .poll(async () => (await second.cache.links.load("wk1", reload))?.archivedAt ?? null)
      .toBeInstanceOf(Date);
    expect(loads).toBe(2);
    // Nothing else was dropped.
    let courseLoads = 0;
    await second.cache.courses.load("slug:data-101", () =>
      Promise.resolve(null).finally(() => courseLoads++),
    );
    expect(courseLoads).toBe(0);
  });

  it("ignores what is not a drop of a cache it has", async () => {
    const only = portalProcess();
    await only.drops.ready;
    await only.cache.links.load("wk2", () => Promise.resolve(link));
    const outsider = connect();
    for (const message of ["not json", '{"name":"links"}', '{"name":"toString","key":"wk2"}'])
      await outsider.publish("hubfed:interact-cache:drop", message);
    await new Promise((resolve) => setTimeout(resolve, 200));
    let loads = 0;
    await only.cache.links.load("wk2", () => Promise.resolve(link).finally(() => loads++));
    expect(loads).toBe(0);
  });
});
