import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeLocalHubFiles } from "./config";
import { listActiveServers } from "./health";
import { localHubOrigin, parseLocalHub, type LocalHub } from "./hub";
import { allocateHubPorts } from "./ports";
import { LocalHubSupervisor } from "./supervisor";
import { HttpBrowser } from "./test-browser";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "./accounts";

// The local runtime's capacity (SPEC §7): a real JupyterHub whose user memory budget holds one
// server's guarantee. The first student gets a server; the second gets JupyterHub's error page
// with "the hub is at capacity; try again in N minutes", not a server that runs the machine out
// of memory.

const password = "capacity-password";
const portalToken = "portal-token-0123456789abcdef";

class Session extends HttpBrowser {
  constructor(readonly origin: string) {
    super();
  }

  override request(target: string, init: { method?: string; body?: URLSearchParams } = {}) {
    return super.request(new URL(target, this.origin).toString(), init);
  }

  async signInAndOpenServer(userName: string): Promise<Response> {
    const next = "/hub/user-redirect/tree";
    const loginPath = `/hub/login?next=${encodeURIComponent(next)}`;
    await (await this.request(loginPath)).body?.cancel();
    const posted = await this.request(loginPath, {
      method: "POST",
      body: new URLSearchParams({ username: userName, password }),
    });
    expect(posted.status).toBe(302);
    return this.follow(posted);
  }
}

describe("a local hub at capacity", () => {
  let workDirectory: string;
  let hub: LocalHub;
  let supervisor: LocalHubSupervisor;

  beforeAll(async () => {
    workDirectory = await createTemporaryHubsDirectory("hubfed-capacity-");
    hub = parseLocalHub({
      hubSlug: "capacity-101",
      dataDirectory: path.join(workDirectory, "hub"),
      // A range of its own, apart from the other local-hub tests running at the same time.
      ports: await allocateHubPorts({ range: { first: 19_400, last: 19_499 }, takenPorts: [] }),
      spec: {
        memoryLimitMib: 1024,
        memoryGuaranteeMib: 256,
        cpuLimitMilli: 1000,
        storageGib: 1,
        cullTimeoutSeconds: 600,
        cullMaxAgeSeconds: 0,
        startTimeoutSeconds: 60,
        interface: "classic",
      },
      serviceTokens: { portal: portalToken },
      authentication: { kind: "dummy", password },
      // Room for one guarantee of 256 MiB, not two.
      userMemoryBudgetMib: 300,
    });
    await writeLocalHubFiles(hub);
    supervisor = new LocalHubSupervisor({ hub, environment: process.env });
    await supervisor.start();
    await supervisor.waitUntilReady({ timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await supervisor?.stop();
    if (workDirectory) await releaseLocalHubsUnder(workDirectory);
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  it("starts the first student's server", async () => {
    const landing = await new Session(localHubOrigin(hub)).signInAndOpenServer("first-student");
    expect(landing.status).toBe(200);
    expect(new URL(landing.url).pathname).toBe("/user/first-student/tree");
    await landing.body?.cancel();
  });

  it("refuses the next one with a message the student can act on, and starts nothing", async () => {
    const page = await new Session(localHubOrigin(hub)).signInAndOpenServer("second-student");
    const html = await page.text();

    expect(page.status).toBe(503);
    // The culler's timeout is 10 minutes and the first server was just used.
    expect(html).toMatch(/The hub is at capacity; try again in (9|10) minutes\./);
    expect(html).not.toContain("Traceback");
    const active = await listActiveServers(hub, portalToken);
    expect(active.servers.map((server) => server.userName)).toEqual(["first-student"]);
  });
});
