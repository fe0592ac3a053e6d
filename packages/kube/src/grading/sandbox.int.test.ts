import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  defaultGradingLimits,
  gradingDriverSource,
  type GradingInput,
  type OkTest,
} from "@hubfed/grader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToCluster, type KubernetesCluster } from "../client/cluster";
import { type JsonObject } from "../json";
import { startKubernetesTestServer, type KubernetesTestServer } from "../test-server/server";
import { GRADING_CONFIG_MAP_MAX_BYTES } from "./grading-job";
import { createKubernetesGradingSandbox } from "./sandbox";

// Vitest's asymmetric matchers are typed `any`; these give them a type the linter accepts.
const containing = (text: string): unknown => expect.stringContaining(text) as unknown;
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern) as unknown;
const anyNumber = (): unknown => expect.any(Number) as unknown;
const arrayContaining = (items: unknown[]): unknown => expect.arrayContaining(items) as unknown;
const objectContaining = (fields: object): unknown => expect.objectContaining(fields) as unknown;

// The sandbox against the Kubernetes API test server, with this test as the
// kubelet and the Job controller: it waits for the Job, lays the ConfigMap
// out as the kubelet does (symlinks into ..data), runs the Job's own command
// on it with the real grading driver (Debian's /usr/bin/python3, nbclient and
// ipykernel), writes the pod and its log, and marks the Job finished.

const execFileAsync = promisify(execFile);
const namespace = "hub-data-8";
const memoryLimitMib = 768;

let server: KubernetesTestServer;
let cluster: KubernetesCluster;
let scratch: string;

beforeAll(async () => {
  server = await startKubernetesTestServer({ namespaces: ["default", namespace] });
  cluster = connectToCluster("test", { apiServerUrl: server.url });
  scratch = await mkdtemp(path.join(os.tmpdir(), "hubfed-grading-"));
});

afterAll(async () => {
  await server?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function sandbox(overrides: { deadlineMarginMs?: number } = {}) {
  return createKubernetesGradingSandbox({
    cluster,
    namespace,
    image: "quay.io/jupyter/scipy-notebook:2025-06-02",
    resources: { cpuMilli: 1000, memoryMib: 2048 },
    labels: { "hubfed.io/course": "data-8" },
    pollIntervalMs: 25,
    ...overrides,
  });
}

type Container = {
  name: string;
  command: string[];
  env: Array<{ name: string; value: string }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
};
type JobObject = JsonObject & {
  metadata: { name: string; uid: string; labels: Record<string, string> };
  spec: {
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Container[];
        volumes: Array<{
          name: string;
          configMap?: { items: Array<{ key: string; path: string }> };
        }>;
      } & JsonObject;
    };
  } & JsonObject;
};
type ConfigMapObject = JsonObject & {
  metadata: { ownerReferences?: Array<{ uid: string; kind: string }> };
  data: Record<string, string>;
  binaryData?: Record<string, string>;
};

const gradingObjects = (kind: "Job" | "ConfigMap" | "Pod") =>
  server.listObjects({ apiVersion: kind === "Job" ? "batch/v1" : "v1", kind, namespace });

async function waitForJob(
  submissionLabel?: string,
): Promise<{ job: JobObject; configMap: ConfigMapObject }> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const job = (gradingObjects("Job") as JobObject[]).find(
      (candidate) =>
        submissionLabel === undefined ||
        candidate.metadata.labels["hubfed.io/submission"] === submissionLabel,
    );
    if (job) {
      const configMap = server.getObject({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace,
        name: job.metadata.name,
      }) as ConfigMapObject | undefined;
      if (configMap?.metadata.ownerReferences) return { job, configMap };
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("no grading Job appeared");
}

/** What the kubelet does with a ConfigMap volume: files in a hidden directory, symlinked. */
async function materializeConfigMap(job: JobObject, configMap: ConfigMapObject, target: string) {
  const volume = job.spec.template.spec.volumes.find((entry) => entry.configMap);
  const timestamped = path.join(target, "..2026_12_06_00_00_00.000000001");
  for (const { key, path: relative } of volume?.configMap?.items ?? []) {
    const file = path.join(timestamped, relative);
    await mkdir(path.dirname(file), { recursive: true });
    const text = configMap.data[key];
    const binary = configMap.binaryData?.[key];
    await writeFile(file, text ?? Buffer.from(binary ?? "", "base64"));
  }
  await symlink(path.basename(timestamped), path.join(target, "..data"));
  for (const entry of await readdir(timestamped)) {
    await symlink(path.join("..data", entry), path.join(target, entry));
  }
}

/** Runs the Job's container command on this machine, the pod's directories mapped into scratch. */
async function runJobLocally(job: JobObject, configMap: ConfigMapObject) {
  const container = job.spec.template.spec.containers[0];
  if (!container) throw new Error("the Job has no container");
  const root = await mkdtemp(path.join(scratch, "pod-"));
  const directories = new Map(
    container.volumeMounts.map((mount) => [mount.mountPath, path.join(root, mount.name)]),
  );
  for (const directory of directories.values()) await mkdir(directory, { recursive: true });
  await materializeConfigMap(job, configMap, directories.get("/hubfed/input") ?? "");
  // One pass, so a local path that contains a mount path (/tmp) is not rewritten again.
  const mountPattern = new RegExp(
    [...directories.keys()].map((p) => `${p}(?=/|\\s|$)`).join("|"),
    "g",
  );
  const script = (container.command[2] ?? "").replace(
    mountPattern,
    (mountPath) => directories.get(mountPath) ?? mountPath,
  );
  const environment: Record<string, string> = {
    // Debian's python3 has nbclient, nbformat and ipykernel; the image's would.
    PATH: "/usr/bin:/bin",
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  for (const variable of container.env) {
    environment[variable.name] = directories.get(variable.value) ?? variable.value;
  }
  const result = await execFileAsync(
    container.command[0] ?? "",
    [container.command[1] ?? "", script],
    {
      env: environment,
      timeout: 60_000,
    },
  ).then(
    ({ stdout }) => ({ exitCode: 0, log: stdout }),
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      console.log(`the grading command failed: ${error.stderr ?? ""}`);
      return { exitCode: error.code ?? 1, log: error.stdout ?? "" };
    },
  );
  return { ...result, workDirectory: directories.get("/hubfed/work") ?? "" };
}

function writePod(
  job: JobObject,
  status: { phase: string; terminated?: JsonObject; running?: JsonObject },
  log: string,
) {
  const name = `${job.metadata.name}-x7k2p`;
  server.createObject({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace,
      labels: {
        ...job.spec.template.metadata.labels,
        "job-name": job.metadata.name,
        "batch.kubernetes.io/job-name": job.metadata.name,
      },
      ownerReferences: [
        {
          apiVersion: "batch/v1",
          kind: "Job",
          name: job.metadata.name,
          uid: job.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: job.spec.template.spec,
  });
  const state = status.terminated ? { terminated: status.terminated } : { running: status.running };
  server.setStatus(
    { apiVersion: "v1", kind: "Pod", namespace, name },
    { phase: status.phase, containerStatuses: [{ name: "grade", state }] },
  );
  server.setPodLog({ namespace, name }, log);
}

function markJob(job: JobObject, status: JsonObject) {
  server.setStatus(
    { apiVersion: "batch/v1", kind: "Job", namespace, name: job.metadata.name },
    status,
  );
}

const condition = (type: string, reason: string, message = "") => ({
  type,
  status: "True",
  reason,
  message,
  lastTransitionTime: "2026-12-06T00:00:00Z",
});

const tests: OkTest[] = [
  {
    name: "q1",
    points: 2,
    suites: [
      {
        type: "doctest",
        scored: true,
        setup: "",
        teardown: "",
        cases: [{ code: ">>> total\n10", hidden: false, locked: false }],
      },
    ],
  },
  {
    name: "q2",
    points: 4,
    suites: [
      {
        type: "doctest",
        scored: true,
        setup: "",
        teardown: "",
        cases: [
          { code: ">>> double(2)\n4", hidden: false, locked: false },
          { code: ">>> double(5)\n11", hidden: true, locked: false },
        ],
      },
    ],
  },
];

function notebook(sources: string[], output = "") {
  return JSON.stringify({
    cells: sources.map((source, index) => ({
      cell_type: "code",
      id: `cell-${index}`,
      execution_count: 1,
      metadata: {},
      source,
      outputs: output === "" ? [] : [{ output_type: "stream", name: "stdout", text: output }],
    })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

let submissions = 0;
/** The hubfed.io/submission label of the latest gradingInput(). */
const lastSubmissionLabel = () =>
  submissions === 1 ? "cm9submission-42" : `submission-${submissions}`;

/** A submission of its own per test: a test that fails leaves its Job behind for no other. */
function gradingInput(overrides: Partial<GradingInput> = {}): GradingInput {
  submissions += 1;
  return {
    submissionId: submissions === 1 ? "cm9SUBmission_42" : `submission-${submissions}`,
    notebook: notebook(
      [
        "import os\nwith open('data/values.csv') as f:\n    total = sum(int(line) for line in f)",
        "def double(x):\n    return 2 * x",
        // The student's code tries to hand in its own results, straight to the pod's stdout.
        'os.write(1, b\'HUBFED-RESULTS 0123 {"tests": [], "score": 1000}\\n\')',
      ],
      // Outputs from the student's own run: 600 KB that grading does not need.
      "x".repeat(600_000),
    ),
    tests,
    supportFiles: [
      { path: "data/values.csv", contentBase64: Buffer.from("1\n2\n3\n4\n").toString("base64") },
    ],
    limits: { ...defaultGradingLimits, wallClockSeconds: 90, memoryMib: memoryLimitMib },
    ...overrides,
  };
}

describe("the Kubernetes grading sandbox", () => {
  it("runs the driver in a locked-down Job and returns its results, then removes the Job and ConfigMap", async () => {
    server.resetCounters();
    const grading = sandbox().grade(gradingInput());
    const { job, configMap } = await waitForJob(lastSubmissionLabel());

    // The Job: once, no token, the deadline, restricted, the hub's and the grading labels.
    const podSpec = job.spec.template.spec;
    expect(job.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 90,
      ttlSecondsAfterFinished: anyNumber(),
    });
    expect(job.metadata.name).toMatch(/^grade-cm9submission-42-[0-9a-f]{6}$/);
    expect(job.metadata.labels).toMatchObject({
      "hubfed.io/grading": "true",
      "hubfed.io/hub": "data-8",
      "hubfed.io/course": "data-8",
      "app.kubernetes.io/managed-by": "hubfed",
    });
    expect(job.spec.template.metadata.labels["hubfed.io/grading"]).toBe("true");
    expect(podSpec).toMatchObject({
      restartPolicy: "Never",
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          image: "quay.io/jupyter/scipy-notebook:2025-06-02",
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
          resources: {
            requests: { cpu: "1", memory: "768Mi" },
            limits: { cpu: "1", memory: "768Mi" },
          },
        },
      ],
    });
    const nonce = podSpec.containers[0]?.env.find((v) => v.name === "HUBFED_RESULTS_NONCE")?.value;
    expect(nonce).toMatch(/^[0-9a-f]{48}$/);

    // The ConfigMap: the submission without its outputs, the tests, the driver, the support file.
    expect(configMap.metadata.ownerReferences).toEqual([
      objectContaining({ kind: "Job", uid: job.metadata.uid }),
    ]);
    expect(configMap.data["submission.ipynb"]?.length).toBeLessThan(2_000);
    expect(JSON.parse(configMap.data["tests.json"] ?? "")).toEqual(tests);
    expect(configMap.data["hubfed_grade.py"]).toBe(gradingDriverSource());

    const run = await runJobLocally(job, configMap);
    expect(run.exitCode).toBe(0);
    // The driver sends the kernel's output to /dev/null: the forged line never reaches the log.
    expect(run.log).not.toContain("HUBFED-RESULTS 0123 ");
    expect((await readdir(run.workDirectory)).sort()).toEqual(
      arrayContaining(["data", "hubfed_grade.py", "submission.ipynb"]),
    );
    expect(await readdir(run.workDirectory)).not.toContain("..data");
    writePod(
      job,
      { phase: "Succeeded", terminated: { exitCode: 0, reason: "Completed" } },
      run.log,
    );
    markJob(job, { succeeded: 1, conditions: [condition("Complete", "CompletionsReached")] });

    const outcome = await grading;
    expect(outcome).toMatchObject({
      status: "graded",
      results: {
        score: 4,
        // q1 reads the support file; q2's hidden case fails (5 doubled is not 11).
        tests: [
          { name: "q1", score: 2, max_score: 2, visibility: "visible" },
          { name: "q2", score: 2, max_score: 2, visibility: "visible" },
          { name: "q2 - hidden", score: 0, max_score: 2, visibility: "hidden" },
        ],
      },
    });
    expect(gradingObjects("Job")).toEqual([]);
    expect(gradingObjects("ConfigMap")).toEqual([]);
    expect(gradingObjects("Pod")).toEqual([]);
    // Two objects in; the Job's delete takes its pod and the ConfigMap with it (here at once; a
    // real garbage collector takes a moment, hence the explicit ConfigMap delete, whose 404 is
    // fine). Nothing else is written.
    expect(server.counters.create).toBe(2);
    expect(server.counters.delete).toBe(1);
    expect(server.countWrites()).toBe(3);
  }, 90_000);

  it("ignores lines without the nonce: forged results alone are no results", async () => {
    const grading = sandbox().grade(gradingInput());
    const { job } = await waitForJob(lastSubmissionLabel());
    const forged =
      'HUBFED-RESULTS 0123 {"tests": [], "score": 1000}\nHUBFED-RESULTS  {"score": 1}\n';
    writePod(job, { phase: "Succeeded", terminated: { exitCode: 0, reason: "Completed" } }, forged);
    markJob(job, { succeeded: 1, conditions: [condition("Complete", "CompletionsReached")] });
    const outcome = await grading;
    expect(outcome).toMatchObject({
      status: "failed",
      reason: containing("without results"),
      detail: containing("no results line"),
    });
    expect(gradingObjects("Job")).toEqual([]);
    expect(gradingObjects("ConfigMap")).toEqual([]);
  });

  it("reports the deadline as timed-out once the pod ran", async () => {
    const grading = sandbox().grade(gradingInput());
    const { job } = await waitForJob(lastSubmissionLabel());
    writePod(job, { phase: "Running", running: { startedAt: "2026-12-06T00:00:00Z" } }, "");
    markJob(job, { active: 1, ready: 1 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The Job controller kills the pod at the deadline and deletes it.
    await cluster.objects.delete({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `${job.metadata.name}-x7k2p`, namespace },
    });
    markJob(job, {
      failed: 1,
      conditions: [
        condition("Failed", "DeadlineExceeded", "Job was active longer than specified deadline"),
      ],
    });
    expect(await grading).toMatchObject({
      status: "timed-out",
      reason: "grading took longer than 90 seconds",
    });
    expect(gradingObjects("Job")).toEqual([]);
    expect(gradingObjects("ConfigMap")).toEqual([]);
  });

  it("says a pod killed for memory used more than the limit", async () => {
    const grading = sandbox().grade(gradingInput());
    const { job } = await waitForJob(lastSubmissionLabel());
    writePod(
      job,
      { phase: "Failed", terminated: { exitCode: 137, reason: "OOMKilled" } },
      "HUBFED-RESULTS 0123 {}\n",
    );
    markJob(job, {
      failed: 1,
      conditions: [
        condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
      ],
    });
    expect(await grading).toMatchObject({
      status: "failed",
      reason: `the notebook used more memory than the ${memoryLimitMib} MiB limit`,
      detail: containing("OOMKilled"),
    });
    expect(gradingObjects("Job")).toEqual([]);
    expect(gradingObjects("Pod")).toEqual([]);
  });

  it("passes on the driver's own verdict when it cannot grade (and exits non-zero)", async () => {
    const grading = sandbox().grade(gradingInput({ notebook: "this is not a notebook" }));
    const { job, configMap } = await waitForJob(lastSubmissionLabel());
    const run = await runJobLocally(job, configMap);
    expect(run.exitCode).not.toBe(0);
    writePod(
      job,
      { phase: "Failed", terminated: { exitCode: run.exitCode, reason: "Error" } },
      run.log,
    );
    markJob(job, {
      failed: 1,
      conditions: [condition("Failed", "BackoffLimitExceeded", "backoff limit")],
    });
    const outcome = await grading;
    expect(outcome).toMatchObject({
      status: "failed",
      reason: "the notebook is not valid JSON",
      detail: containing("notebook-not-json"),
    });
  }, 60_000);

  it("gives up after the deadline and the margin when the pod never ran, and cleans up", async () => {
    const grading = sandbox({ deadlineMarginMs: 300 }).grade(
      gradingInput({ limits: { ...defaultGradingLimits, wallClockSeconds: 1 } }),
    );
    await waitForJob(lastSubmissionLabel());
    const outcome = await grading;
    expect(outcome).toMatchObject({
      status: "failed",
      reason: "the grader could not start in time; please try again later",
      detail: containing("before the pod ran"),
    });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(1_300);
    expect(gradingObjects("Job")).toEqual([]);
    expect(gradingObjects("ConfigMap")).toEqual([]);
  });

  it("refuses a submission still over 900 KiB without its outputs, creating nothing", async () => {
    server.resetCounters();
    const outcome = await sandbox().grade(
      gradingInput({ notebook: notebook([`x = '${"y".repeat(GRADING_CONFIG_MAP_MAX_BYTES)}'`]) }),
    );
    expect(outcome).toMatchObject({
      status: "failed",
      reason: matching(/^the submission is too large to grade: \d+ KiB .* 900 KiB/),
    });
    expect(server.countWrites()).toBe(0);
  });

  it("describes itself as the Kubernetes sandbox", () => {
    const description = sandbox().describe();
    expect(description.kind).toBe("kubernetes");
    expect(description.mechanisms.join("\n")).toMatch(/activeDeadlineSeconds/);
    expect(description.mechanisms.join("\n")).toMatch(/no service account token/);
  });
});
