import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTemporaryHubsDirectory,
  listLocalStudentAccounts,
  listMountedHomes,
  removeLocalHubCgroups,
  type LocalStudentAccount,
} from "./accounts";
import { decommissionLocalHub } from "./archive";
import { writeLocalHubFiles } from "./config";
import {
  localHubCgroupName,
  localHubOrigin,
  localHubPaths,
  parseLocalHub,
  type LocalHub,
} from "./hub";
import { allocateHubPorts } from "./ports";
import { listLocalHubProcesses, readCommandLine } from "./processes";
import { isAllowedInLocalHubEnvironment, LocalHubSupervisor } from "./supervisor";
import { HttpBrowser } from "./test-browser";
import { TestKernel } from "./test-kernel";

// Two students on one real hub (issue 16): each student's server runs under an account of their
// own, and from A's kernel nothing of B's, of the hub's secrets or of the portal can be reached,
// and A's memory hog stops at A's limit while B keeps working.

const password = "isolation-password";
const memoryLimitMib = 400;
const cpuLimitMilli = 500;

/** What the worker's environment holds that a hub must never see. */
const portalSecrets = {
  DATABASE_URL: "postgresql://hubfed:do-not-leak@127.0.0.1:5432/hubfed",
  HUBFED_SECRET_KEY: "ZG8tbm90LWxlYWstdGhpcy1rZXk=",
  NEXTAUTH_SECRET: "do-not-leak-nextauth",
  GITHUB_APP_PRIVATE_KEY: "-----BEGIN do-not-leak",
  SMTP_URL: "smtp://user:do-not-leak@mail.example.org",
};

async function signIn(origin: string, userName: string): Promise<HttpBrowser> {
  const browser = new HttpBrowser();
  const loginUrl = `${origin}/hub/login?next=${encodeURIComponent("/hub/user-redirect/tree")}`;
  await browser.request(loginUrl);
  const posted = await browser.request(loginUrl, {
    method: "POST",
    body: new URLSearchParams({ username: userName, password }),
  });
  expect(posted.status).toBe(302);
  const landing = await browser.follow(posted);
  expect(new URL(landing.url).pathname).toBe(`/user/${userName}/tree`);
  return browser;
}

/** Python for A's kernel: each attempt is "allowed", "denied" or the error's name. */
function probeCode(targets: Record<string, string>, signalPid: number): string {
  return `
import json, os
def attempt(action):
    try:
        action()
        return "allowed"
    except PermissionError:
        return "denied"
    except Exception as error:
        return type(error).__name__
targets = ${JSON.stringify(targets)}
results = {name: attempt(lambda target=target: open(target, "rb").read(1)) for name, target in targets.items()}
results["list B's home"] = attempt(lambda: os.listdir(targets["B's notes"].rsplit("/", 1)[0]))
results["list the data directory"] = attempt(lambda: os.listdir(os.path.dirname(targets["hub configuration"])))
results["signal B's server"] = attempt(lambda: os.kill(${signalPid}, 0))
results["environment"] = sorted(name for name in os.environ if name in ${JSON.stringify(Object.keys(portalSecrets))})
print(json.dumps(results))
`;
}

describe("students on one local hub", () => {
  let workDirectory: string;
  let portalDataDirectory: string;
  let hub: LocalHub;
  let supervisor: LocalHubSupervisor;
  const kernels: TestKernel[] = [];

  beforeAll(async () => {
    workDirectory = await createTemporaryHubsDirectory("hubfed-isolation-");
    // The portal's data directory as `npm start` lays it out: secrets.json mode 0600.
    portalDataDirectory = path.join(workDirectory, "portal-data");
    await mkdir(portalDataDirectory, { mode: 0o755 });
    await writeFile(path.join(portalDataDirectory, "secrets.json"), "{}", { mode: 0o600 });
    hub = parseLocalHub({
      hubSlug: "isolation-101",
      dataDirectory: path.join(workDirectory, "hub"),
      // A range of its own, apart from the other local-hub tests running at the same time.
      ports: await allocateHubPorts({ range: { first: 19_500, last: 19_599 }, takenPorts: [] }),
      spec: {
        memoryLimitMib,
        memoryGuaranteeMib: 128,
        cpuLimitMilli,
        storageGib: 1,
        cullTimeoutSeconds: 0,
        cullMaxAgeSeconds: 0,
        startTimeoutSeconds: 60,
        interface: "classic",
      },
      maxProcessesPerStudent: 200,
      serviceTokens: { portal: randomBytes(24).toString("hex") },
      authentication: { kind: "dummy", password },
    });
    await writeLocalHubFiles(hub);
    supervisor = new LocalHubSupervisor({
      hub,
      environment: { ...process.env, ...portalSecrets },
    });
    await supervisor.start();
    await supervisor.waitUntilReady({ timeoutMs: 60_000 });
  }, 90_000);

  afterAll(async () => {
    for (const kernel of kernels) kernel.close();
    if (supervisor && (await listLocalStudentAccounts(hub.dataDirectory)).length > 0)
      await decommissionLocalHub({ hub, supervisor });
    if (workDirectory) await rm(workDirectory, { recursive: true, force: true });
  }, 60_000);

  it("starts the hub with nothing outside the allow-list in its environment", async () => {
    const hubPid = supervisor.pid ?? 0;
    const environment = (await readFile(`/proc/${hubPid}/environ`, "utf8"))
      .split("\0")
      .filter(Boolean)
      .map((entry) => entry.slice(0, entry.indexOf("=")));
    expect(environment.length).toBeGreaterThan(0);
    expect(environment.filter((name) => !isAllowedInLocalHubEnvironment(name))).toEqual([]);
    for (const name of Object.keys(portalSecrets)) expect(environment).not.toContain(name);
  });

  it("runs each student's server under an account of their own; A reaches nothing of B, the hub or the portal", async () => {
    const origin = localHubOrigin(hub);
    const alice = await signIn(origin, "alice");
    const bob = await signIn(origin, "bob");
    const aliceKernel = await TestKernel.start(alice, `${origin}/user/alice`);
    const bobKernel = await TestKernel.start(bob, `${origin}/user/bob`);
    kernels.push(aliceKernel, bobKernel);

    const accounts = new Map<string, LocalStudentAccount>(
      (await listLocalStudentAccounts(hub.dataDirectory)).map((entry) => [entry.userName, entry]),
    );
    expect([...accounts.keys()].sort()).toEqual(["alice", "bob"]);
    for (const account of accounts.values()) {
      expect(account.uid).toBeGreaterThan(0);
      expect(account.account.length).toBeLessThanOrEqual(32);
    }
    expect(accounts.get("alice")?.uid).not.toBe(accounts.get("bob")?.uid);

    const written = await bobKernel.run(
      'open("notes.txt", "w").write("bob\'s answers"); import os; print(os.getuid(), os.getcwd())',
    );
    expect(written.status).toBe("ok");
    const paths = localHubPaths(hub.dataDirectory);
    expect(written.stdout.trim()).toBe(
      `${accounts.get("bob")?.uid} ${path.join(paths.homes, "bob")}`,
    );
    await aliceKernel.run('open("mine.txt", "w").write("alice")');

    const { userServerPids } = await listLocalHubProcesses(hub.dataDirectory);
    let bobServerPid = 0;
    for (const pid of userServerPids) {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      if (new RegExp(`^Uid:\\s+${accounts.get("bob")?.uid}\\s`, "m").test(status))
        bobServerPid = pid;
    }
    expect(bobServerPid).toBeGreaterThan(0);
    expect(await readCommandLine(bobServerPid)).toContain("jupyterhub.singleuser");

    const targets = {
      "A's own file": path.join(paths.homes, "alice", "mine.txt"),
      "B's notes": path.join(paths.homes, "bob", "notes.txt"),
      "hub configuration": paths.config,
      "cookie secret": paths.cookieSecret,
      "auth state key": paths.authStateKey,
      "hub database": paths.database,
      "hub log": paths.log,
      "hub environment": `/proc/${supervisor.pid ?? 0}/environ`,
      "portal secrets": path.join(portalDataDirectory, "secrets.json"),
    };
    const probe = await aliceKernel.run(probeCode(targets, bobServerPid));
    expect(probe.status).toBe("ok");
    const results = JSON.parse(probe.stdout) as Record<string, unknown>;
    expect(results).toEqual({
      // The control: the probe can read what is A's.
      "A's own file": "allowed",
      "B's notes": "denied",
      "list B's home": "denied",
      "list the data directory": "denied",
      "hub configuration": "denied",
      "cookie secret": "denied",
      "auth state key": "denied",
      "hub database": "denied",
      "hub log": "denied",
      "hub environment": "denied",
      "portal secrets": "denied",
      "signal B's server": "denied",
      environment: [],
    });
  }, 120_000);

  it("stops A's memory hog at A's limit while B's server keeps working", async () => {
    const [aliceKernel, bobKernel] = kernels;
    if (!aliceKernel || !bobKernel) throw new Error("the previous test started no kernels");
    const { limits } = JSON.parse(
      await readFile(localHubPaths(hub.dataDirectory).limits, "utf8"),
    ) as { limits: { kind: string; detail: string } };
    console.log(`limits in force: ${limits.detail}`);

    const hog = await aliceKernel.run(
      "chunks = []\nwhile True:\n    chunks.append(b'x' * (16 << 20))",
      120_000,
    );
    const accounts = await listLocalStudentAccounts(hub.dataDirectory);
    const alice = accounts.find((entry) => entry.userName === "alice");
    if (limits.kind === "cgroup1") {
      // The kernel's OOM killer ends the hog inside A's cgroup; the server restarts the kernel.
      expect(hog.status).toBe("died");
      // The test runs in the cgroups the hub inherits; the hub's student cgroups sit below them.
      const cgroups = await readFile("/proc/self/cgroup", "utf8");
      const studentCgroup = (controller: string) =>
        path.join(
          "/sys/fs/cgroup",
          controller,
          new RegExp(`^\\d+:${controller}:(.*)$`, "m").exec(cgroups)?.[1] ?? "/",
          localHubCgroupName(hub.dataDirectory),
          alice?.account ?? "",
        );
      const memory = studentCgroup("memory");
      const peak = Number(await readFile(path.join(memory, "memory.max_usage_in_bytes"), "utf8"));
      console.log(`A's peak memory: ${Math.round(peak / 1024 / 1024)} MiB of ${memoryLimitMib}`);
      expect(peak).toBeLessThanOrEqual(memoryLimitMib * 1024 * 1024);
      expect(await readFile(path.join(memory, "memory.oom_control"), "utf8")).toMatch(
        /oom_kill [1-9]/,
      );
      const quota = await readFile(path.join(studentCgroup("cpu"), "cpu.cfs_quota_us"), "utf8");
      expect(Number(quota)).toBe(cpuLimitMilli * 100);
      const pidsMax = await readFile(path.join(studentCgroup("pids"), "pids.max"), "utf8");
      expect(pidsMax.trim()).toBe("200");
    } else {
      // Per-process limits: the allocation fails in A's kernel.
      expect(hog.error ?? "").toMatch(/MemoryError/);
    }

    const answer = await bobKernel.run("print(6 * 7)");
    expect(answer).toMatchObject({ status: "ok", stdout: "42\n" });
    const bobHealth = await fetch(`${localHubOrigin(hub)}/hub/api/`);
    expect(bobHealth.ok).toBe(true);
  }, 180_000);

  it("decommissions: homes archived, then no account, mount or cgroup of the hub is left", async () => {
    const homes = await listMountedHomes(hub.dataDirectory);
    // With loop storage each student's home was a file system of its own.
    const { storage } = JSON.parse(
      await readFile(localHubPaths(hub.dataDirectory).limits, "utf8"),
    ) as { storage: { kind: string } };
    if (storage.kind === "loop") expect(homes).toHaveLength(2);

    const archives = await decommissionLocalHub({ hub, supervisor });

    expect(archives.map((archive) => archive.userName)).toEqual(["alice", "bob"]);
    expect(await listLocalStudentAccounts(hub.dataDirectory)).toEqual([]);
    expect(await listMountedHomes(hub.dataDirectory)).toEqual([]);
    expect(await removeLocalHubCgroups(hub.dataDirectory)).toEqual([]);
    const cgroups = await readFile("/proc/self/cgroup", "utf8");
    const memoryCgroup = /^\d+:memory:(.*)$/m.exec(cgroups)?.[1] ?? "/";
    expect(
      existsSync(
        path.join("/sys/fs/cgroup/memory", memoryCgroup, localHubCgroupName(hub.dataDirectory)),
      ),
    ).toBe(false);
  }, 120_000);
});
