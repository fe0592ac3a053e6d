import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decommissionLocalHub } from "./archive";
import { localHubMarkerVariable, writeLocalHubFiles } from "./config";
import { readJupyterHubMetrics } from "@hubfed/observability";
import { checkLocalHubHealth, listActiveServers } from "./health";
import { localHubOrigin, localHubPaths, parseLocalHub, type LocalHub } from "./hub";
import { allocateHubPorts } from "./ports";
import { findProcessesWithEnvironment, isProcessAlive, readCommandLine, sleep } from "./processes";
import { LocalHubSupervisor, type HubRestartEvent } from "./supervisor";
import { HttpBrowser } from "./test-browser";
import {
  createTemporaryHubsDirectory,
  listLocalStudentAccounts,
  releaseLocalHubsUnder,
} from "./accounts";

const execFileAsync = promisify(execFile);
const password = "integration-password";
const memoryLimitMib = 1024;

/** HttpBrowser on one hub: paths resolve against its origin, and it signs in by the login form. */
class BrowserSession extends HttpBrowser {
  constructor(readonly origin: string) {
    super();
  }

  override request(target: string, init: { method?: string; body?: URLSearchParams } = {}) {
    return super.request(new URL(target, this.origin).toString(), init);
  }

  /** Signs in through the login form and lands where `next` leads. */
  async signIn(userName: string, next: string): Promise<Response> {
    const loginPath = `/hub/login?next=${encodeURIComponent(next)}`;
    const loginPage = await this.request(loginPath);
    const html = await loginPage.text();
    const form = new URLSearchParams({ username: userName, password });
    // JupyterHub 3.0 has no _xsrf on its login form; later versions do.
    const xsrf = /name="_xsrf"\s+value="([^"]+)"/.exec(html)?.[1];
    if (xsrf) form.set("_xsrf", xsrf);
    const posted = await this.request(loginPath, { method: "POST", body: form });
    expect(posted.status).toBe(302);
    return this.follow(posted);
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function processesOf(hub: LocalHub) {
  return findProcessesWithEnvironment(localHubMarkerVariable, hub.dataDirectory);
}

async function createCourseRepository(directory: string): Promise<string> {
  const repository = path.join(directory, "course-material");
  await mkdir(repository, { recursive: true });
  const notebook = { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 };
  await writeFile(path.join(repository, "intro.ipynb"), JSON.stringify(notebook));
  const git = (...args: string[]) => execFileAsync("git", args, { cwd: repository });
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "intro.ipynb");
  await git(
    "-c",
    "user.name=Hubfed",
    "-c",
    "user.email=hubfed@example.org",
    "commit",
    "-qm",
    "Intro",
  );
  return repository;
}

describe("a local JupyterHub", () => {
  let workDirectory: string;
  let hub: LocalHub;
  let supervisor: LocalHubSupervisor;
  const restarts: HubRestartEvent[] = [];
  const portalToken = randomBytes(24).toString("hex");

  beforeAll(async () => {
    workDirectory = await createTemporaryHubsDirectory("hubfed-local-hub-");
    hub = parseLocalHub({
      hubSlug: "integration-101",
      dataDirectory: path.join(workDirectory, "hub"),
      // A range of its own: the core tests allocate from the local region's 18000–18999 at the
      // same time, and two allocations racing for the same free port would collide.
      ports: await allocateHubPorts({ range: { first: 19_300, last: 19_399 }, takenPorts: [] }),
      spec: {
        memoryLimitMib,
        memoryGuaranteeMib: 256,
        cpuLimitMilli: 1000,
        storageGib: 1,
        // Short enough for the culler to act within the test.
        cullTimeoutSeconds: 20,
        cullMaxAgeSeconds: 0,
        startTimeoutSeconds: 60,
        interface: "classic",
      },
      admins: ["instructor"],
      serviceTokens: { portal: portalToken },
      authentication: { kind: "dummy", password },
      cullIntervalSeconds: 2,
    });
    await writeLocalHubFiles(hub);
    supervisor = new LocalHubSupervisor({
      hub,
      environment: process.env,
      restartBackoff: { initialDelayMs: 200 },
      onRestart: (event) => restarts.push(event),
    });
  });

  afterAll(async () => {
    await supervisor?.stop();
    if (workDirectory) await releaseLocalHubsUnder(workDirectory);
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  });

  it("starts, answers /hub/api/ through its proxy, and is never started twice", async () => {
    const startedAt = performance.now();
    expect(await supervisor.start()).toBe("started");
    const { version } = await supervisor.waitUntilReady({ timeoutMs: 60_000 });
    console.log(`local hub ready in ${Math.round(performance.now() - startedAt)} ms`);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await checkLocalHubHealth(hub)).toEqual({
      isHealthy: true,
      version,
      detail: `JupyterHub ${version}`,
    });
    expect(supervisor.isRunning).toBe(true);
    expect(await readCommandLine(supervisor.pid ?? 0)).toContain(
      localHubPaths(hub.dataDirectory).config,
    );

    expect(await supervisor.start()).toBe("already-running");
    // A worker that restarted finds the hub through its pid file and adopts it.
    const nextWorker = new LocalHubSupervisor({
      hub,
      environment: process.env,
    });
    expect(await nextWorker.start()).toBe("adopted");
    expect(nextWorker.pid).toBe(supervisor.pid);
    nextWorker.release();
    expect(supervisor.isRunning).toBe(true);
  });

  it("restarts the hub after kill -9 and reports the restart", async () => {
    const killedPid = supervisor.pid;
    if (killedPid === undefined) throw new Error("hub not running");
    process.kill(killedPid, "SIGKILL");

    await waitFor(() => restarts.length > 0, 30_000, "a restart");
    expect(restarts[0]).toMatchObject({
      hubSlug: "integration-101",
      attempt: 1,
      previousPid: killedPid,
      signal: "SIGKILL",
      delayMs: 200,
    });
    const startedAt = performance.now();
    await supervisor.waitUntilReady({ timeoutMs: 60_000 });
    console.log(
      `local hub ready again ${Math.round(performance.now() - startedAt)} ms after restart`,
    );
    expect(supervisor.pid).toBe(restarts[0]?.pid);
    expect(supervisor.pid).not.toBe(killedPid);
  });

  it("signs a student in, and an nbgitpuller click clones the course into the home", async () => {
    const repository = await createCourseRepository(path.join(workDirectory, "content"));
    const query = new URLSearchParams({
      repo: repository,
      urlpath: "tree/course-material/intro.ipynb",
    });
    const clickPath = `/hub/user-redirect/git-pull?${query.toString()}`;
    const browser = new BrowserSession(localHubOrigin(hub));

    const anonymous = await browser.request(clickPath);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(
      `/hub/login?next=${encodeURIComponent(clickPath)}`,
    );

    // Login, spawn, the single-user server's OAuth round trip, then nbgitpuller's page.
    const landing = await browser.signIn("student", clickPath);
    expect(landing.status).toBe(200);
    expect(new URL(landing.url).pathname).toBe("/user/student/git-pull");
    expect(await landing.text()).toContain('data-targetpath="course-material"');

    // The student's server runs under their account, and git (2.39) refuses to read a local
    // repository another account owns; a site's real content comes over HTTP. Given to them.
    const [studentAccount] = await listLocalStudentAccounts(hub.dataDirectory);
    await execFileAsync("chown", ["-R", `${studentAccount?.account}:`, repository]);
    // What the page's script does: the EventSource that runs the pull.
    const pullQuery = new URLSearchParams({ repo: repository, targetpath: "course-material" });
    const pull = await browser.request(`/user/student/git-pull/api?${pullQuery.toString()}`);
    const events = await pull.text();
    expect(events).toContain('"phase": "finished"');

    const home = path.join(localHubPaths(hub.dataDirectory).homes, "student");
    expect(existsSync(path.join(home, "course-material", "intro.ipynb"))).toBe(true);
    const opened = await browser.follow(
      await browser.request("/user/student/tree/course-material/intro.ipynb"),
    );
    expect(opened.status).toBe(200);

    // The single-user server runs under the student's own account and memory limit, which its
    // kernels inherit: the student's cgroup where the machine has one, else RLIMIT_DATA.
    const userServers: number[] = [];
    for (const pid of await processesOf(hub)) {
      if ((await readCommandLine(pid))?.includes("jupyterhub.singleuser")) userServers.push(pid);
    }
    expect(userServers).toHaveLength(1);
    const [account] = await listLocalStudentAccounts(hub.dataDirectory);
    expect(account).toMatchObject({ userName: "student" });
    const status = await readFile(`/proc/${userServers[0]}/status`, "utf8");
    expect(status).toMatch(new RegExp(`^Uid:\\s+${account?.uid}\\s`, "m"));
    const { limits: mechanism } = JSON.parse(
      await readFile(localHubPaths(hub.dataDirectory).limits, "utf8"),
    ) as { limits: { kind: string } };
    const memoryLimitBytes = memoryLimitMib * 1024 * 1024;
    if (mechanism.kind === "cgroup1") {
      const cgroups = await readFile(`/proc/${userServers[0]}/cgroup`, "utf8");
      const memoryCgroup = /^\d+:memory:(.*)$/m.exec(cgroups)?.[1] ?? "";
      expect(memoryCgroup.endsWith(`/${account?.account}`)).toBe(true);
      const limit = await readFile(
        path.join("/sys/fs/cgroup/memory", memoryCgroup, "memory.limit_in_bytes"),
        "utf8",
      );
      expect(Number(limit)).toBe(memoryLimitBytes);
    } else if (mechanism.kind === "rlimit") {
      const limits = await readFile(`/proc/${userServers[0]}/limits`, "utf8");
      expect(limits).toMatch(new RegExp(`Max data size\\s+${memoryLimitBytes}\\s`));
    }

    const active = await listActiveServers(hub, portalToken);
    expect(active).toMatchObject({ userCount: 1, serverCount: 1, readyServerCount: 1 });
    expect(active.servers[0]).toMatchObject({ userName: "student", serverName: "", isReady: true });

    // The hub's own Prometheus metrics, read with the portal service's token (read:metrics).
    const metrics = await readJupyterHubMetrics(localHubOrigin(hub), portalToken);
    // Two users: the student and the configured admin; one server, spawned once.
    expect(metrics).toMatchObject({ runningServers: 1, totalUsers: 2, spawnsSucceeded: 1 });
    expect(metrics.spawnSecondsTotal).toBeGreaterThan(0);
    expect(metrics.spawnSecondsTotal).toBeLessThan(120);
    expect(metrics.spawnsFailed).toBe(0);
    // jupyterhub_active_users arrived in JupyterHub 4; Debian's 3.0 does not report it.
    const major = Number((await checkLocalHubHealth(hub)).version?.split(".")[0]);
    if (major >= 4) expect(metrics.activeUsers24h).toBe(1);
    else expect(metrics.activeUsers24h).toBeNull();
    // Without a token JupyterHub refuses the scrape: the metrics are not public.
    await expect(readJupyterHubMetrics(localHubOrigin(hub), "not-a-token")).rejects.toThrow(
      "HTTP 403",
    );
  }, 120_000);

  it("stops the idle server with the culler service", async () => {
    await waitFor(
      async () => (await listActiveServers(hub, portalToken)).serverCount === 0,
      60_000,
      "the culler to stop the idle server",
    );
    const log = await readFile(localHubPaths(hub.dataDirectory).log, "utf8");
    expect(log).toMatch(/hubfed-idle-culler .*stopping server '' of 'student': idle for \d+ s/);
  }, 90_000);

  it("decommissions: stops everything and archives each home", async () => {
    // A server running at decommission time must go down with the hub.
    const instructor = new BrowserSession(localHubOrigin(hub));
    const tree = await instructor.signIn("instructor", "/hub/user-redirect/tree");
    expect(new URL(tree.url).pathname).toBe("/user/instructor/tree");
    const hubPid = supervisor.pid;

    const archives = await decommissionLocalHub({ hub, supervisor });

    expect(supervisor.isRunning).toBe(false);
    expect(hubPid !== undefined && isProcessAlive(hubPid)).toBe(false);
    expect(await processesOf(hub)).toEqual([]);
    expect((await checkLocalHubHealth(hub, { timeoutMs: 1_000 })).isHealthy).toBe(false);

    const archiveDirectory = localHubPaths(hub.dataDirectory).archive;
    expect(archives.map(({ userName, path: archivePath }) => ({ userName, archivePath }))).toEqual([
      { userName: "instructor", archivePath: path.join(archiveDirectory, "instructor.tar.gz") },
      { userName: "student", archivePath: path.join(archiveDirectory, "student.tar.gz") },
    ]);
    for (const archive of archives) expect(archive.sizeBytes).toBeGreaterThan(0);
    const { stdout } = await execFileAsync("tar", [
      "-tzf",
      path.join(archiveDirectory, "student.tar.gz"),
    ]);
    expect(stdout.split("\n")).toContain("./student/course-material/intro.ipynb");
    expect(existsSync(path.join(localHubPaths(hub.dataDirectory).homes, "student"))).toBe(false);
  }, 120_000);
});
