/**
 * The local grading sandbox: runs python/hubfed_grade.py for one submission
 * on this machine, inside the isolation Linux gives a root process without
 * containers. Each mechanism and what it stops is listed in README.md; what
 * this machine cannot enforce is reported by describe().missing.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  statSync,
} from "node:fs";
import { chown, mkdir, readFile, readdir, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type {
  GradescopeResults,
  GradingInput,
  GradingOutcome,
  GradingSandbox,
  SandboxDescription,
} from "./contract";
import { gradingDriverPath } from "./python-files";

export interface LocalGradingSandboxOptions {
  /** Where work directories are made; root-owned, not under /tmp, /var/tmp or /dev/shm (those are private in the sandbox). */
  workRoot: string;
  /** Submissions graded at once, each as its own system account. Default 2. */
  slots?: number;
  /** A Python with nbclient, nbformat, ipykernel. Default /usr/bin/python3. */
  python?: string;
  log?: (line: string) => void;
}

// Bytes any one file may grow to; a notebook filling the disk stops here.
const maxFileBytes = 128 * 1024 * 1024;
const maxResultsBytes = 8 * 1024 * 1024;
const privateTmpDirectories = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock"];
const cgroupControllers = ["memory", "pids", "cpu"] as const;
type Controller = (typeof cgroupControllers)[number];

class Semaphore {
  private waiting: (() => void)[] = [];
  private free: number[];
  constructor(count: number) {
    this.free = Array.from({ length: count }, (_, i) => i);
  }
  async acquire(): Promise<number> {
    while (this.free.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.free.shift()!;
  }
  release(slot: number): void {
    this.free.push(slot);
    this.waiting.shift()?.();
  }
}

function findTool(name: string): string | undefined {
  for (const directory of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    const candidate = path.join(directory, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The cgroup v1 directory this process is in, for one controller. */
function ownCgroup(controller: Controller): string | undefined {
  const root = `/sys/fs/cgroup/${controller}`;
  if (!existsSync(root)) return undefined;
  try {
    for (const line of readFileSync("/proc/self/cgroup", "utf8").split("\n")) {
      const [, controllers, relative] = line.split(":");
      if (controllers?.split(",").includes(controller)) return path.join(root, relative ?? "/");
    }
  } catch {
    return undefined;
  }
  return root;
}

function probeCgroup(controller: Controller): string | undefined {
  const own = ownCgroup(controller);
  if (!own) return undefined;
  const parent = path.join(own, "hubfed-grader");
  try {
    mkdirSync(parent, { recursive: true });
    const probe = path.join(parent, `probe-${process.pid}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return parent;
  } catch {
    return undefined;
  }
}

interface Capabilities {
  root: boolean;
  unshare?: string;
  setpriv?: string;
  prlimit?: string;
  cgroups: Partial<Record<Controller, string>>;
  namespacesWork: boolean;
}

function probe(): Capabilities {
  const root = process.getuid?.() === 0;
  const unshare = findTool("unshare");
  const capabilities: Capabilities = {
    root,
    unshare,
    setpriv: findTool("setpriv"),
    prlimit: findTool("prlimit"),
    cgroups: {},
    namespacesWork: false,
  };
  if (root && unshare) {
    const result = spawnSync(
      unshare,
      ["--net", "--pid", "--fork", "--mount-proc", "--kill-child", "/bin/true"],
      { timeout: 10_000 },
    );
    capabilities.namespacesWork = result.status === 0;
  }
  if (root) {
    for (const controller of cgroupControllers) {
      const parent = probeCgroup(controller);
      if (parent) capabilities.cgroups[controller] = parent;
    }
  }
  return capabilities;
}

function describeCapabilities(capabilities: Capabilities, slots: number): SandboxDescription {
  const mechanisms: string[] = [
    "wall-clock timer that kills the whole sandbox",
    "results over a private pipe (fd 3), never from files",
    "clean environment",
  ];
  const missing: string[] = [];
  const have = (condition: unknown, mechanism: string, absent: string) =>
    (condition ? mechanisms : missing).push(condition ? mechanism : absent);
  have(
    capabilities.root && capabilities.setpriv,
    `one unprivileged account per slot (hubfed-grader-0..${slots - 1}), no new privileges, no capabilities`,
    "account separation (not root or no setpriv): submissions run as the grader's own user and can read each other's files",
  );
  have(
    capabilities.namespacesWork,
    "no network, own process namespace, private /tmp",
    "namespaces (unshare unavailable): submissions can use the network, see other processes and share /tmp",
  );
  have(
    capabilities.prlimit,
    "rlimits: CPU seconds, address space, processes, file size",
    "rlimits (no prlimit): CPU time and process count are not limited per submission",
  );
  have(
    capabilities.cgroups.memory,
    "cgroup memory limit",
    "cgroup memory limit (cgroup v1 memory not writable): memory is bounded only by the address-space rlimit",
  );
  have(
    capabilities.cgroups.pids,
    "cgroup process limit",
    "cgroup process limit (cgroup v1 pids not writable): only the per-account process rlimit applies",
  );
  have(
    capabilities.cgroups.cpu,
    "cgroup CPU quota of one core",
    "cgroup CPU quota (cgroup v1 cpu not writable): a submission may use every core",
  );
  return { kind: "local", mechanisms, missing };
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function unsafeRelativePath(relative: string): boolean {
  return (
    relative === "" ||
    relative.startsWith("/") ||
    relative.includes("\\") ||
    relative.includes("\0") ||
    relative.split("/").some((segment) => segment === ".." || segment === "." || segment === "")
  );
}

function megabytes(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;
}

function tail(text: string, length = 3000): string {
  return text.length <= length ? text : text.slice(-length);
}

interface Account {
  uid: number;
  gid: number;
}

interface DriverOutcome {
  status: "graded" | "failed" | "timed-out";
  error?: string;
  reason?: string;
  detail?: string;
  results?: GradescopeResults;
}

/** A path as one single-quoted shell word. */
function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function createLocalGradingSandbox(options: LocalGradingSandboxOptions): GradingSandbox {
  const slots = options.slots ?? 2;
  const python = options.python ?? "/usr/bin/python3";
  const log = options.log ?? (() => {});
  const workRoot = path.resolve(options.workRoot);
  const capabilities = probe();
  const isolated =
    capabilities.root && capabilities.namespacesWork && Boolean(capabilities.setpriv);
  // A work root under /tmp (a clone in a temporary directory, say) would vanish under the
  // submission's private /tmp: the namespace carries it across the new mount (see below).
  const isWorkRootUnderPrivateTmp = privateTmpDirectories.some(
    (directory) => workRoot === directory || workRoot.startsWith(`${directory}/`),
  );
  // Root-owned and not listable: a slot account can enter its own work
  // directory but cannot discover the others.
  mkdirSync(workRoot, { recursive: true });
  if (capabilities.root) {
    chownSync(workRoot, 0, 0);
    chmodSync(workRoot, 0o711);
  }
  // The driver runs from a root-owned copy so no account can change it.
  const driverDirectory = path.join(workRoot, ".driver");
  mkdirSync(driverDirectory, { recursive: true, mode: 0o755 });
  const driver = path.join(driverDirectory, "hubfed_grade.py");
  copyFileSync(gradingDriverPath, driver);
  chmodSync(driver, 0o644);
  chmodSync(driverDirectory, 0o755);

  const description = describeCapabilities(capabilities, slots);
  if (description.missing.length > 0)
    log(`grader sandbox: not enforced on this machine: ${description.missing.join("; ")}`);
  const semaphore = new Semaphore(slots);
  const accounts = new Map<number, Promise<Account>>();
  // useradd takes a lock on /etc/passwd; creating accounts one at a time avoids failing on it.
  let accountChain: Promise<unknown> = Promise.resolve();

  function account(slot: number): Promise<Account> {
    let existing = accounts.get(slot);
    if (!existing) {
      existing = (async () => {
        const name = `hubfed-grader-${slot}`;
        const lookup = async () => {
          const uid = await run("/usr/bin/id", ["-u", name]);
          const gid = await run("/usr/bin/id", ["-g", name]);
          return uid.code === 0
            ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
            : undefined;
        };
        const found = await lookup();
        if (found) return found;
        const created = accountChain.then(() =>
          run(findTool("useradd") ?? "useradd", [
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "--user-group",
            name,
          ]),
        );
        accountChain = created.catch(() => undefined);
        const result = await created;
        const after = await lookup();
        if (!after)
          throw new Error(`could not create the grading account ${name}: ${result.stderr.trim()}`);
        log(`grader sandbox: created account ${name}`);
        return after;
      })();
      existing.catch(() => accounts.delete(slot));
      accounts.set(slot, existing);
    }
    return existing;
  }

  async function makeCgroups(
    name: string,
    input: GradingInput,
  ): Promise<Partial<Record<Controller, string>>> {
    const made: Partial<Record<Controller, string>> = {};
    for (const controller of cgroupControllers) {
      const parent = capabilities.cgroups[controller];
      if (!parent) continue;
      const directory = path.join(parent, name);
      try {
        await mkdir(directory);
        made[controller] = directory;
        if (controller === "memory") {
          const bytes = String(input.limits.memoryMib * 1024 * 1024);
          await writeFile(path.join(directory, "memory.limit_in_bytes"), bytes);
          // Without swap accounting this file is absent; the plain limit is then the whole limit.
          await writeFile(path.join(directory, "memory.memsw.limit_in_bytes"), bytes).catch(
            () => {},
          );
        } else if (controller === "pids") {
          await writeFile(path.join(directory, "pids.max"), String(input.limits.maxProcesses));
        } else {
          await writeFile(path.join(directory, "cpu.cfs_period_us"), "100000");
          await writeFile(path.join(directory, "cpu.cfs_quota_us"), "100000");
        }
      } catch (error) {
        log(`grader sandbox: cgroup ${controller} for ${name} not set up: ${String(error)}`);
      }
    }
    return made;
  }

  async function killCgroup(directory: string): Promise<void> {
    const text = await readFile(path.join(directory, "cgroup.procs"), "utf8").catch(() => "");
    for (const pid of text.split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }

  async function removeCgroups(made: Partial<Record<Controller, string>>): Promise<void> {
    for (const directory of Object.values(made)) {
      for (let attempt = 0; attempt < 50; attempt += 1) {
        await killCgroup(directory);
        try {
          await rmdir(directory);
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  }

  async function cgroupEvents(
    made: Partial<Record<Controller, string>>,
  ): Promise<{ oomKilled: boolean; pidsLimited: boolean }> {
    let oomKilled = false;
    let pidsLimited = false;
    if (made.memory) {
      const control = await readFile(path.join(made.memory, "memory.oom_control"), "utf8").catch(
        () => "",
      );
      const kills = /oom_kill (\d+)/.exec(control);
      const failcnt = await readFile(path.join(made.memory, "memory.failcnt"), "utf8").catch(
        () => "0",
      );
      oomKilled =
        (kills ? Number(kills[1]) > 0 : false) ||
        /under_oom 1/.test(control) ||
        (!kills && Number(failcnt) > 0);
    }
    if (made.pids) {
      const events = await readFile(path.join(made.pids, "pids.events"), "utf8").catch(() => "");
      pidsLimited = Number(/max (\d+)/.exec(events)?.[1] ?? 0) > 0;
    }
    return { oomKilled, pidsLimited };
  }

  async function prepareWorkDirectory(
    input: GradingInput,
    slot: number,
    owner: Account | undefined,
  ): Promise<string> {
    const safeId = input.submissionId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60) || "submission";
    let directory = path.join(workRoot, `sub-${safeId}`);
    if (existsSync(directory)) directory = `${directory}-${randomBytes(4).toString("hex")}`;
    await mkdir(directory, { mode: 0o700 });
    const files: [string, Buffer | string][] = [
      ["submission.ipynb", input.notebook],
      ["tests.json", JSON.stringify(input.tests)],
      ...input.supportFiles.map((file): [string, Buffer] => [
        file.path,
        Buffer.from(file.contentBase64, "base64"),
      ]),
    ];
    for (const [relative, content] of files) {
      const target = path.join(directory, relative);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, content, { mode: 0o600 });
    }
    if (owner) {
      const chownTree = async (current: string): Promise<void> => {
        await chown(current, owner.uid, owner.gid);
        if (statSync(current).isDirectory()) {
          for (const entry of await readdir(current)) await chownTree(path.join(current, entry));
        }
      };
      await chownTree(directory);
    }
    log(`grader sandbox: slot ${slot} grading ${input.submissionId} in ${directory}`);
    return directory;
  }

  function command(
    input: GradingInput,
    directory: string,
    owner: Account | undefined,
    cgroupPaths: string[],
  ): { file: string; args: string[] } {
    const { limits } = input;
    const cellTimeout = Math.max(5, limits.wallClockSeconds - 3);
    let argv = [
      python,
      "-I",
      driver,
      "--workdir",
      directory,
      "--results=fd3",
      `--cell-timeout=${Math.floor(cellTimeout)}`,
      `--max-notebook-bytes=${limits.maxNotebookBytes}`,
      `--memory-mib=${limits.memoryMib}`,
    ];
    if (isolated && owner) {
      argv = [
        capabilities.setpriv!,
        `--reuid=${owner.uid}`,
        `--regid=${owner.gid}`,
        "--clear-groups",
        "--no-new-privs",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
        ...argv,
      ];
    }
    if (capabilities.prlimit) {
      // Address space is generous beside the cgroup limit (threads reserve far
      // more than they use); without a memory cgroup it is the only bound.
      const addressSpace =
        (capabilities.cgroups.memory ? limits.memoryMib * 4 + 2048 : limits.memoryMib + 1024) *
        1024 *
        1024;
      argv = [
        capabilities.prlimit,
        // Soft CPU limit sends SIGXCPU (reported as a time-out); the hard one kills.
        `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 5}`,
        `--as=${addressSpace}`,
        `--nproc=${limits.maxProcesses}`,
        `--fsize=${maxFileBytes}`,
        "--nofile=512",
        "--core=0",
        "--",
        ...argv,
      ];
    }
    if (isolated) {
      const tmpfsMounts = privateTmpDirectories
        .filter((directoryPath) => existsSync(directoryPath))
        .map(
          (directoryPath) =>
            `mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev tmpfs ${directoryPath} || exit 98`,
        );
      // Held on /mnt while the private tmpfs goes over /tmp, then put back at its own path,
      // all inside this submission's mount namespace (the host sees none of it).
      const root = shellQuoted(workRoot);
      const mounts = (
        isWorkRootUnderPrivateTmp
          ? [
              `mount --bind ${root} /mnt || exit 98`,
              ...tmpfsMounts,
              `mkdir -p ${root} && mount --bind /mnt ${root} || exit 98`,
            ]
          : tmpfsMounts
      ).join("; ");
      argv = [
        capabilities.unshare!,
        "--net",
        "--pid",
        "--fork",
        "--mount-proc",
        "--kill-child",
        "/bin/sh",
        "-c",
        `${mounts}; exec "$@"`,
        "sandbox",
        ...argv,
      ];
    }
    // The outer shell joins the submission's cgroups before anything of the student's exists.
    const join =
      'IFS=:; for p in $1; do [ -n "$p" ] && { echo $$ > "$p/cgroup.procs" || exit 97; }; done; unset IFS; shift; exec "$@"';
    return { file: "/bin/sh", args: ["-c", join, "join", cgroupPaths.join(":"), ...argv] };
  }

  async function runDriver(
    input: GradingInput,
    directory: string,
    owner: Account | undefined,
    cgroups: Partial<Record<Controller, string>>,
  ): Promise<{ timedOut: boolean; exitCode: number | null; results: string; stderr: string }> {
    const { file, args } = command(input, directory, owner, Object.values(cgroups));
    const runtime = path.join(directory, ".jupyter");
    // Nothing of the worker's environment reaches a submission: only these.
    const env: Record<string, string> = {
      HOME: directory,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      LANG: "C.UTF-8",
      JUPYTER_RUNTIME_DIR: path.join(runtime, "runtime"),
      JUPYTER_DATA_DIR: path.join(runtime, "data"),
      JUPYTER_CONFIG_DIR: path.join(runtime, "config"),
      IPYTHONDIR: path.join(directory, ".ipython"),
      MPLCONFIGDIR: path.join(directory, ".matplotlib"),
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONNOUSERSITE: "1",
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      // Fewer malloc arenas: each reserves address space the rlimit counts.
      MALLOC_ARENA_MAX: "2",
    };
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd: directory,
        // Where Next's types are loaded too (the root typecheck), ProcessEnv requires NODE_ENV;
        // this clean environment deliberately has nothing of the worker's.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe", "pipe"],
        detached: true,
      });
      let stderr = "";
      let results = "";
      let timedOut = false;
      child.stdout!.on("data", () => {});
      child.stderr!.on("data", (chunk: Buffer) => (stderr = tail(stderr + chunk.toString(), 8000)));
      const resultsStream = child.stdio[3] as NodeJS.ReadableStream;
      resultsStream.on("data", (chunk: Buffer) => {
        if (results.length < maxResultsBytes) results += chunk.toString();
      });
      const kill = () => {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          // The group is already gone.
        }
        for (const cgroupDirectory of Object.values(cgroups)) void killCgroup(cgroupDirectory);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, input.limits.wallClockSeconds * 1000);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (exitCode) => {
        clearTimeout(timer);
        kill();
        resolve({ timedOut, exitCode, results, stderr });
      });
    });
  }

  function interpret(
    input: GradingInput,
    run: { timedOut: boolean; exitCode: number | null; results: string; stderr: string },
    events: { oomKilled: boolean; pidsLimited: boolean },
    durationMs: number,
  ): GradingOutcome {
    const { limits } = input;
    const detail = tail(run.stderr);
    let outcome: DriverOutcome | undefined;
    try {
      outcome = run.results.trim() ? (JSON.parse(run.results) as DriverOutcome) : undefined;
    } catch {
      outcome = undefined;
    }
    const memoryReason = `the notebook used more memory than the ${limits.memoryMib} MiB limit`;
    if (events.pidsLimited) {
      return {
        status: "failed",
        reason: "grading was stopped: too many processes",
        detail: `process limit ${limits.maxProcesses}\n${detail}`,
        durationMs,
      };
    }
    if (events.oomKilled && outcome?.status !== "graded") {
      return {
        status: "failed",
        reason: memoryReason,
        detail: `memory cgroup OOM\n${detail}`,
        durationMs,
      };
    }
    if (run.timedOut) {
      return {
        status: "timed-out",
        reason: `grading took longer than ${limits.wallClockSeconds} seconds`,
        durationMs,
      };
    }
    if (!outcome) {
      return {
        status: "failed",
        reason: "the grader stopped unexpectedly",
        detail: `driver exit ${run.exitCode}\n${detail}`,
        durationMs,
      };
    }
    if (outcome.status === "graded" && outcome.results)
      return { status: "graded", results: outcome.results, durationMs };
    if (outcome.status === "timed-out") {
      const reason =
        outcome.error === "cpu-time"
          ? `the notebook used more than ${limits.cpuSeconds} seconds of CPU time`
          : (outcome.reason ?? "grading timed out");
      return { status: "timed-out", reason, durationMs };
    }
    return {
      status: "failed",
      reason: outcome.reason ?? "the submission could not be graded",
      detail: [outcome.error, outcome.detail, detail].filter(Boolean).join("\n"),
      durationMs,
    };
  }

  async function grade(input: GradingInput): Promise<GradingOutcome> {
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    // Before anything touches the disk: a huge upload costs nothing more.
    if (Buffer.byteLength(input.notebook, "utf8") > input.limits.maxNotebookBytes) {
      return {
        status: "failed",
        reason: `the notebook is larger than ${megabytes(input.limits.maxNotebookBytes)}`,
        durationMs: elapsed(),
      };
    }
    const unsafe = input.supportFiles.find(
      (file) =>
        unsafeRelativePath(file.path) || ["submission.ipynb", "tests.json"].includes(file.path),
    );
    if (unsafe) {
      return {
        status: "failed",
        reason: "the assignment has a support file with an unsafe path",
        detail: unsafe.path,
        durationMs: elapsed(),
      };
    }
    const slot = await semaphore.acquire();
    let directory: string | undefined;
    let cgroups: Partial<Record<Controller, string>> = {};
    try {
      const owner = isolated ? await account(slot) : undefined;
      directory = await prepareWorkDirectory(input, slot, owner);
      cgroups = await makeCgroups(path.basename(directory), input);
      const result = await runDriver(input, directory, owner, cgroups);
      const events = await cgroupEvents(cgroups);
      const outcome = interpret(input, result, events, elapsed());
      log(`grader sandbox: ${input.submissionId} ${outcome.status} in ${outcome.durationMs} ms`);
      return outcome;
    } catch (error) {
      return {
        status: "failed",
        reason: "the grader could not run",
        detail: String(error),
        durationMs: elapsed(),
      };
    } finally {
      await removeCgroups(cgroups);
      if (directory)
        await rm(directory, { recursive: true, force: true }).catch((error) =>
          log(`grader sandbox: could not remove ${directory}: ${String(error)}`),
        );
      semaphore.release(slot);
    }
  }

  return { grade, describe: () => description };
}
