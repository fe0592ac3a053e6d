import { type GradingLimits, type SupportFile } from "@hubfed/grader";
import { GRADING_LABEL } from "../manifests/conventions";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../manifests/labels";
import { formatCpuQuantity, formatMemoryQuantity } from "../manifests/quantities";
import { type KubernetesManifest } from "../manifests/types";

export { GRADING_LABEL };
/** Which submission a grading Job is for (sanitised; for people reading the cluster). */
export const GRADING_SUBMISSION_LABEL = "hubfed.io/submission";
/** A ConfigMap is stored in etcd whole; the API server refuses objects near 1 MiB. */
export const GRADING_CONFIG_MAP_MAX_BYTES = 900 * 1024;
/** A finished Job (and, through its owner reference, its ConfigMap) is collected after this. */
export const GRADING_TTL_SECONDS_AFTER_FINISHED = 300;
export const GRADING_CONTAINER_NAME = "grade";
export const GRADING_DRIVER_FILE = "hubfed_grade.py";

const inputDirectory = "/hubfed/input";
const workDirectory = "/hubfed/work";
/** The image's user in the Jupyter Docker Stacks (jovyan); any non-root uid works. */
const graderUserId = 1000;

export interface GradingJobInput {
  namespace: string;
  /** `grade-<short id>`: the Job's and the ConfigMap's name. */
  name: string;
  /** Labels beyond managed-by and the grading label (the hub's, for attribution). */
  labels: Record<string, string>;
  submissionLabel: string;
  /** The hub's user image, so grading has the course's libraries. */
  image: string;
  nonce: string;
  /** The submission with its outputs stripped. */
  notebook: string;
  /** tests.json: the OkTest[] as JSON. */
  testsJson: string;
  driverSource: string;
  supportFiles: SupportFile[];
  limits: GradingLimits;
  /** What the pod gets, requested in full (Guaranteed QoS: a grade is never cut short by eviction). */
  cpuMilli: number;
  memoryMib: number;
}

/** The ConfigMap's keys (no '/' allowed) and where each lands in the work directory. */
function buildFileItems(input: GradingJobInput): Array<{ key: string; path: string }> {
  return [
    { key: "submission.ipynb", path: "submission.ipynb" },
    { key: "tests.json", path: "tests.json" },
    { key: GRADING_DRIVER_FILE, path: GRADING_DRIVER_FILE },
    ...input.supportFiles.map((file, index) => ({ key: `support-${index}`, path: file.path })),
  ];
}

/**
 * The driver's own limits: a cell may run for the wall-clock limit less a
 * few seconds (so the driver, not the Job's deadline, usually reports the
 * time-out, with the cell that overran), the notebook's size, the memory.
 */
export function buildDriverArguments(limits: GradingLimits): string[] {
  return [
    "--results=stdout-nonce",
    `--cell-timeout=${Math.max(5, Math.floor(limits.wallClockSeconds - 3))}`,
    `--max-notebook-bytes=${Math.floor(limits.maxNotebookBytes)}`,
    `--memory-mib=${Math.floor(limits.memoryMib)}`,
  ];
}

/** A support file may not escape the work directory or replace what the driver reads. */
export function findUnsafeSupportPath(files: SupportFile[]): string | undefined {
  const reserved = new Set(["submission.ipynb", "tests.json", GRADING_DRIVER_FILE]);
  return files.find(({ path }) => {
    const segments = path.split("/");
    return (
      path === "" ||
      path.startsWith("/") ||
      reserved.has(path) ||
      segments.some((segment) => segment === "" || segment === "." || segment === "..") ||
      segments.some((segment) => segment.startsWith(".."))
    );
  })?.path;
}

/** The bytes the ConfigMap holds: what counts against the 900 KiB cap. */
export function measureGradingFiles(input: GradingJobInput): number {
  const text = [input.notebook, input.testsJson, input.driverSource].reduce(
    (total, value) => total + Buffer.byteLength(value),
    0,
  );
  return text + input.supportFiles.reduce((total, file) => total + file.contentBase64.length, 0);
}

/**
 * One submission's grading, as two objects: a ConfigMap with the files and a
 * Job that runs the driver on them once. Pure. The pod runs at the restricted
 * Pod Security profile, as uid 1000, with a read-only root filesystem (the
 * work directory and /tmp are emptyDirs), no service account token, no
 * retries, and the wall-clock limit as its active deadline; the hub's
 * `deny-grading-traffic` policy cuts all its network traffic, so results
 * leave through the log, on the line that carries the nonce.
 */
export function buildGradingObjects(input: GradingJobInput): {
  configMap: KubernetesManifest;
  job: KubernetesManifest;
} {
  const labels = {
    ...input.labels,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [GRADING_LABEL]: "true",
    [GRADING_SUBMISSION_LABEL]: input.submissionLabel,
  };
  const metadata = { name: input.name, namespace: input.namespace, labels };
  const data: Record<string, string> = {
    "submission.ipynb": input.notebook,
    "tests.json": input.testsJson,
    [GRADING_DRIVER_FILE]: input.driverSource,
  };
  const binaryData: Record<string, string> = {};
  input.supportFiles.forEach((file, index) => {
    binaryData[`support-${index}`] = file.contentBase64;
  });
  const configMap: KubernetesManifest = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata,
    data,
    ...(input.supportFiles.length > 0 ? { binaryData } : {}),
  };

  const resources = {
    cpu: formatCpuQuantity(input.cpuMilli),
    memory: formatMemoryQuantity(input.memoryMib),
  };
  // The ConfigMap volume is made of symlinks into hidden ..data directories: copy the files
  // themselves (-L), then drop the hidden directories, and let the driver be process 1.
  const script = [
    "set -e",
    `cp -RL ${inputDirectory}/. ${workDirectory}/`,
    `rm -rf ${workDirectory}/..?*`,
    `cd ${workDirectory}`,
    // -I: the image's PYTHONPATH and user site stay out of the driver.
    `exec python3 -I ${GRADING_DRIVER_FILE} ${buildDriverArguments(input.limits).join(" ")}`,
  ].join("\n");
  const job: KubernetesManifest = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata,
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: input.limits.wallClockSeconds,
      ttlSecondsAfterFinished: GRADING_TTL_SECONDS_AFTER_FINISHED,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: graderUserId,
            runAsGroup: graderUserId,
            fsGroup: graderUserId,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: GRADING_CONTAINER_NAME,
              image: input.image,
              command: ["/bin/sh", "-c", script],
              workingDir: workDirectory,
              env: [
                { name: "HUBFED_RESULTS_NONCE", value: input.nonce },
                { name: "HOME", value: workDirectory },
                { name: "TMPDIR", value: "/tmp" },
                { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
              ],
              resources: { requests: resources, limits: resources },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: graderUserId,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [
                { name: "input", mountPath: inputDirectory, readOnly: true },
                { name: "work", mountPath: workDirectory },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "input", configMap: { name: input.name, items: buildFileItems(input) } },
            // Capped: a notebook that writes more gets its pod evicted, not the node's disk filled.
            { name: "work", emptyDir: { sizeLimit: "512Mi" } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
          ],
        },
      },
    },
  };
  return { configMap, job };
}
