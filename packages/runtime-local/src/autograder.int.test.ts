import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { studentModuleSource } from "@hubfed/grader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localHubMarkerVariable, writeLocalHubFiles } from "./config";
import { localHubOrigin, localHubPaths, parseLocalHub, type LocalHub } from "./hub";
import { allocateHubPorts } from "./ports";
import { findProcessesWithEnvironment, readCommandLine } from "./processes";
import { LocalHubSupervisor } from "./supervisor";
import { HttpBrowser } from "./test-browser";
import { createTemporaryHubsDirectory, releaseLocalHubsUnder } from "./accounts";

// The autograder on a real local JupyterHub (Debian's): a student's server imports the student
// module from the hub's data directory and serves its assignment route, because the hub's
// jupyter-config enables the hubfed_autograder server extension. Signing in with the shared
// password, the hub knows no portal URL, so the extension answers that it cannot fetch
// assignments: its own answer, where a server without it answers 404.

const password = "autograder-password";

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
    const page = await this.request(loginPath);
    const form = new URLSearchParams({ username: userName, password });
    const xsrf = /name="_xsrf"\s+value="([^"]+)"/.exec(await page.text())?.[1];
    if (xsrf) form.set("_xsrf", xsrf);
    const posted = await this.request(loginPath, { method: "POST", body: form });
    expect(posted.status).toBe(302);
    return this.follow(posted);
  }
}

describe("a local hub with the autograder", () => {
  let workDirectory: string;
  let hub: LocalHub;
  let supervisor: LocalHubSupervisor;

  beforeAll(async () => {
    workDirectory = await createTemporaryHubsDirectory("hubfed-autograder-");
    hub = parseLocalHub({
      hubSlug: "grading-101",
      dataDirectory: path.join(workDirectory, "hub"),
      // A range of its own, apart from the other local-hub tests running at the same time.
      ports: await allocateHubPorts({ range: { first: 19_500, last: 19_599 }, takenPorts: [] }),
      spec: {
        memoryLimitMib: 1024,
        memoryGuaranteeMib: 256,
        cpuLimitMilli: 1000,
        storageGib: 1,
        cullTimeoutSeconds: 600,
        cullMaxAgeSeconds: 0,
        startTimeoutSeconds: 60,
        interface: "classic",
        autograder: { isEnabled: true },
      },
      serviceTokens: { portal: "portal-token-0123456789abcdef" },
      authentication: { kind: "dummy", password },
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

  it("writes the student module into the data directory", async () => {
    const paths = localHubPaths(hub.dataDirectory);
    expect(await readFile(paths.studentModule, "utf8")).toBe(studentModuleSource());
  });

  it("loads the extension in a student's server, with the module on its PYTHONPATH", async () => {
    const session = new Session(localHubOrigin(hub));
    const landing = await session.signInAndOpenServer("student");
    expect(new URL(landing.url).pathname).toBe("/user/student/tree");
    await landing.body?.cancel();

    const answer = await session.request("/user/student/hubfed/assignments/hw1");
    const html = await answer.text();
    expect(answer.status).toBe(500);
    expect(html).toContain("This server is not set up to fetch assignments.");
    // A route the extension does not serve is the server's ordinary 404.
    const unknown = await session.request("/user/student/hubfed/nothing-here");
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();

    // Kernels inherit the server's environment: the module and the hub's slug are there.
    const servers: number[] = [];
    for (const pid of await findProcessesWithEnvironment(localHubMarkerVariable, hub.dataDirectory))
      if ((await readCommandLine(pid))?.includes("jupyterhub.singleuser")) servers.push(pid);
    expect(servers).toHaveLength(1);
    const environment = (await readFile(`/proc/${servers[0]}/environ`, "utf8")).split("\0");
    expect(environment).toContain(
      `PYTHONPATH=${localHubPaths(hub.dataDirectory).studentModuleDirectory}`,
    );
    expect(environment).toContain("HUBFED_HUB_SLUG=grading-101");
  }, 90_000);
});
