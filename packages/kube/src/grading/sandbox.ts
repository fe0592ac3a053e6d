import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { CoreV1Api, type V1Job, type V1Pod } from "@kubernetes/client-node";
import {
  gradingDriverSource,
  type GradingInput,
  type GradingOutcome,
  type GradingSandbox,
  type SandboxDescription,
} from "@hubfed/grader";
import { type KubernetesCluster } from "../client/cluster";
import { describeKubernetesError, isNotFound } from "../client/errors";
import { HUB_LABEL } from "../manifests/labels";
import {
  GRADING_CONFIG_MAP_MAX_BYTES,
  GRADING_CONTAINER_NAME,
  buildGradingObjects,
  findUnsafeSupportPath,
  measureGradingFiles,
  type GradingJobInput,
} from "./grading-job";
import { stripNotebookOutputs } from "./notebook";
import { readResultsLine, type DriverOutcome } from "./results";

export interface KubernetesGradingSandboxOptions {
  cluster: KubernetesCluster;
  /** The hub's namespace (`hub-<hubSlug>`), whose quota, limit range and policies grading runs under. */
  namespace: string;
  /** The hub's user image, so grading runs with the course's libraries. */
  image: string;
  /**
   * A user server's limits (the hub spec's cpuLimitMilli, memoryLimitMib): the most a grading
   * pod gets, as the namespace's quota and limit range count it. GradingLimits.memoryMib may
   * ask for less, never more.
   */
  resources: { cpuMilli: number; memoryMib: number };
  /** Labels for attribution (the hub's: course, institution, region). */
  labels?: Record<string, string>;
  /** How often the Job's status is read; 1000 ms by default. */
  pollIntervalMs?: number;
  /** How long past the wall-clock limit to wait for the cluster to report the end; 60 s by default. */
  deadlineMarginMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

const logTailLines = 2000;

/**
 * Grades each submission in a Kubernetes Job of its own, in the hub's
 * namespace, with the hub's image (kubernetes.md, "The autograder"). The
 * Job and its ConfigMap are deleted when grade() returns, whatever
 * happened; if the worker dies first, the Job's deadline ends it, its TTL
 * deletes it and the ConfigMap (owned by the Job) goes with it.
 */
export function createKubernetesGradingSandbox(
  options: KubernetesGradingSandboxOptions,
): GradingSandbox {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const deadlineMarginMs = options.deadlineMarginMs ?? 60_000;
  const log = options.log ?? (() => undefined);
  const { cluster, namespace } = options;
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const hubSlug = namespace.startsWith("hub-") ? namespace.slice("hub-".length) : undefined;

  async function grade(input: GradingInput): Promise<GradingOutcome> {
    const startedAt = Date.now();
    const elapsed = () => Date.now() - startedAt;
    const failed = (reason: string, detail?: string): GradingOutcome => ({
      status: "failed",
      reason,
      ...(detail === undefined ? {} : { detail }),
      durationMs: elapsed(),
    });

    if (Buffer.byteLength(input.notebook) > input.limits.maxNotebookBytes) {
      return failed(
        `the notebook is larger than ${formatKib(input.limits.maxNotebookBytes)}, the most the grader accepts`,
      );
    }
    const unsafePath = findUnsafeSupportPath(input.supportFiles);
    if (unsafePath !== undefined) {
      return failed(
        "the assignment's files could not be prepared for grading",
        `support file path ${JSON.stringify(unsafePath)} is not a plain relative path`,
      );
    }
    const submissionLabel = toLabelValue(input.submissionId);
    const name = `grade-${submissionLabel.slice(0, 40).replace(/[-_.]+$/, "")}-${randomBytes(3).toString("hex")}`;
    const memoryMib = Math.min(input.limits.memoryMib, options.resources.memoryMib);
    const jobInput: GradingJobInput = {
      namespace,
      name,
      labels: { ...(hubSlug === undefined ? {} : { [HUB_LABEL]: hubSlug }), ...options.labels },
      submissionLabel,
      image: options.image,
      nonce: randomBytes(24).toString("hex"),
      notebook: stripNotebookOutputs(input.notebook),
      testsJson: JSON.stringify(input.tests),
      driverSource: gradingDriverSource(),
      supportFiles: input.supportFiles,
      limits: { ...input.limits, memoryMib },
      cpuMilli: options.resources.cpuMilli,
      memoryMib,
    };
    const size = measureGradingFiles(jobInput);
    if (size > GRADING_CONFIG_MAP_MAX_BYTES) {
      return failed(
        `the submission is too large to grade: ${formatKib(size)} without its outputs (with the assignment's files), more than ${formatKib(GRADING_CONFIG_MAP_MAX_BYTES)}; remove large data or images embedded in the notebook and submit again`,
      );
    }

    const { configMap, job } = buildGradingObjects(jobInput);
    log("grading job starting", { namespace, job: name, submissionId: input.submissionId });
    try {
      try {
        // The Job first, then the ConfigMap owned by it: whoever deletes the Job (this code,
        // or its TTL after a worker died) deletes the ConfigMap with it, and there is no moment
        // when a ConfigMap exists without its owner. The kubelet waits for the volume's
        // ConfigMap, which lands milliseconds later, well before the pod is scheduled.
        const created = (await cluster.objects.create(job)) as V1Job;
        await cluster.objects.create({
          ...configMap,
          metadata: {
            ...configMap.metadata,
            ownerReferences: [
              {
                apiVersion: "batch/v1",
                kind: "Job",
                name,
                uid: created.metadata?.uid ?? "",
              },
            ],
          },
        });
      } catch (error) {
        const failure = describeKubernetesError(error);
        const isQuotaFull = failure.statusCode === 403 && /exceeded quota/i.test(failure.message);
        return failed(
          isQuotaFull
            ? "the hub's graders are all busy; please try again in a minute"
            : "the grader could not be started; please try again later",
          `creating ${namespace}/${name}: ${failure.message}`,
        );
      }
      const outcome = await watchJob(name, jobInput, elapsed);
      log("grading job finished", { namespace, job: name, status: outcome.status });
      return outcome;
    } catch (error) {
      return failed(
        "the submission could not be graded; please try again later",
        `grading job ${namespace}/${name}: ${describeKubernetesError(error).message}`,
      );
    } finally {
      await removeGradingObjects(name).catch((error: unknown) =>
        log("grading job cleanup failed", {
          namespace,
          job: name,
          error: describeKubernetesError(error).message,
        }),
      );
    }
  }

  async function watchJob(
    name: string,
    input: GradingJobInput,
    elapsed: () => number,
  ): Promise<GradingOutcome> {
    const deadline = input.limits.wallClockSeconds * 1000 + deadlineMarginMs;
    let hasStarted = false;
    for (;;) {
      const job = await cluster.objects.read<V1Job>({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name, namespace },
      });
      const status = job.status ?? {};
      if ((status.ready ?? 0) > 0) hasStarted = true;
      const conditions = status.conditions ?? [];
      const isTrue = (type: string) =>
        conditions.find((condition) => condition.type === type && condition.status === "True");
      if (isTrue("Complete") || isTrue("SuccessCriteriaMet")) {
        return readFinished(name, input, elapsed);
      }
      const failure = isTrue("Failed");
      if (failure) {
        return readFinished(name, input, elapsed, {
          reason: failure.reason ?? "",
          message: failure.message ?? "",
          hasStarted,
        });
      }
      if (elapsed() > deadline) {
        return readFinished(name, input, elapsed, {
          reason: "DeadlineExceeded",
          message: `the Job did not finish within ${Math.round(deadline / 1000)} s`,
          hasStarted,
        });
      }
      await sleep(pollIntervalMs);
    }
  }

  async function findPod(name: string): Promise<V1Pod | undefined> {
    const pods = await cluster.objects.list<V1Pod>(
      "v1",
      "Pod",
      namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      `job-name=${name}`,
    );
    // backoffLimit 0 makes one pod; should there be more, the last one counts.
    return pods.items
      .slice()
      .sort(
        (a, b) =>
          (a.metadata?.creationTimestamp?.valueOf() ?? 0) -
          (b.metadata?.creationTimestamp?.valueOf() ?? 0),
      )
      .at(-1);
  }

  async function readPodLog(pod: V1Pod): Promise<string> {
    try {
      return await core.readNamespacedPodLog({
        name: pod.metadata?.name ?? "",
        namespace,
        container: GRADING_CONTAINER_NAME,
        tailLines: logTailLines,
      });
    } catch (error) {
      if (isNotFound(error)) return "";
      throw error;
    }
  }

  /**
   * The Job ended (or its time is up): the driver's answer if the log has
   * it, else what the cluster says happened. The memory limit comes first:
   * an OOM-killed pod's last words are not to be trusted.
   */
  async function readFinished(
    name: string,
    input: GradingJobInput,
    elapsed: () => number,
    jobFailure?: { reason: string; message: string; hasStarted: boolean },
  ): Promise<GradingOutcome> {
    const pod = await findPod(name);
    const container = pod?.status?.containerStatuses?.find(
      (status) => status.name === GRADING_CONTAINER_NAME,
    );
    const terminated = container?.state?.terminated ?? container?.lastState?.terminated;
    const where = `${namespace}/${name}`;
    const failed = (reason: string, detail: string): GradingOutcome => ({
      status: "failed",
      reason,
      detail: `${where}: ${detail}`,
      durationMs: elapsed(),
    });
    if (terminated?.reason === "OOMKilled") {
      return failed(
        `the notebook used more memory than the ${input.limits.memoryMib} MiB limit`,
        `container OOMKilled (exit code ${terminated.exitCode})`,
      );
    }
    const log = pod ? await readPodLog(pod) : "";
    const reading = readResultsLine(log, input.nonce);
    switch (reading.kind) {
      case "found":
        return fromDriver(reading.outcome, input, elapsed, where);
      case "ambiguous":
        return failed(
          "the grader's output could not be trusted; please ask your course staff",
          `${reading.count} lines carry the nonce: the output was tampered with`,
        );
      case "malformed":
        return failed(
          "the grader finished without results; please try again or ask your course staff",
          `the results line is malformed: ${reading.problem}`,
        );
      case "missing":
        break;
    }
    if (jobFailure?.reason === "DeadlineExceeded") {
      const hasStarted =
        jobFailure.hasStarted ||
        container?.state?.running !== undefined ||
        terminated?.startedAt !== undefined;
      if (hasStarted) {
        return {
          status: "timed-out",
          reason: `grading took longer than ${input.limits.wallClockSeconds} seconds`,
          durationMs: elapsed(),
        };
      }
      const waiting = container?.state?.waiting;
      return failed(
        "the grader could not start in time; please try again later",
        `${jobFailure.message || "deadline exceeded"} before the pod ran (pod phase ${pod?.status?.phase ?? "absent"}${waiting ? `, waiting: ${waiting.reason ?? ""} ${waiting.message ?? ""}` : ""})`,
      );
    }
    const exit =
      terminated === undefined
        ? `pod phase ${pod?.status?.phase ?? "absent"}`
        : `exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ""}`;
    if (jobFailure) {
      return failed(
        "the grader stopped unexpectedly",
        `Job failed (${jobFailure.reason}: ${jobFailure.message}); ${exit}; no results line; the log ends with: ${tail(log)}`,
      );
    }
    return failed(
      "the grader finished without results; please try again or ask your course staff",
      pod ? `${exit}; no results line; the log ends with: ${tail(log)}` : "no pod found",
    );
  }

  /** The driver's own verdict; its reasons are written for students, its detail for operators. */
  function fromDriver(
    outcome: DriverOutcome,
    input: GradingJobInput,
    elapsed: () => number,
    where: string,
  ): GradingOutcome {
    if (outcome.status === "graded") {
      return { status: "graded", results: outcome.results, durationMs: elapsed() };
    }
    if (outcome.status === "timed-out") {
      return {
        status: "timed-out",
        reason:
          outcome.reason ?? `grading took longer than ${input.limits.wallClockSeconds} seconds`,
        durationMs: elapsed(),
      };
    }
    return {
      status: "failed",
      reason: outcome.reason ?? "the submission could not be graded",
      detail: [where, outcome.error, outcome.detail].filter(Boolean).join(": "),
      durationMs: elapsed(),
    };
  }

  async function removeGradingObjects(name: string): Promise<void> {
    const remove = async (apiVersion: string, kind: string) => {
      try {
        await cluster.objects.delete(
          { apiVersion, kind, metadata: { name, namespace } },
          undefined,
          undefined,
          undefined,
          undefined,
          // Jobs orphan their pods unless asked otherwise.
          "Background",
        );
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    };
    await remove("batch/v1", "Job");
    await remove("v1", "ConfigMap");
  }

  function describe(): SandboxDescription {
    return {
      kind: "kubernetes",
      mechanisms: [
        `a Job per submission in ${namespace}, with the hub's image, run once (backoffLimit 0)`,
        "wall-clock limit as the Job's activeDeadlineSeconds",
        `CPU and memory limits (at most ${options.resources.cpuMilli}m, ${options.resources.memoryMib} MiB), within the namespace's quota and limit range`,
        "restricted Pod Security profile: non-root uid 1000, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem",
        "no service account token",
        "network policy deny-grading-traffic: no ingress, no egress",
        "results accepted only on the log line carrying a per-submission nonce",
      ],
      missing: [
        "CPU-seconds limit (the wall-clock deadline and the CPU limit bound it instead)",
        "process count limit (the kubelet's podPidsLimit, a node setting)",
      ],
    };
  }

  return { grade, describe };
}

/** A submission id as a label value (and the Job name's stem): lower case, [a-z0-9-], ≤ 40. */
function toLabelValue(submissionId: string): string {
  const cleaned = submissionId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return cleaned === "" ? "submission" : cleaned;
}

function formatKib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

/** The end of a log for an operator's detail: the last 1,000 characters. */
function tail(log: string): string {
  const trimmed = log.trimEnd();
  return trimmed === "" ? "(empty)" : JSON.stringify(trimmed.slice(-1000));
}
