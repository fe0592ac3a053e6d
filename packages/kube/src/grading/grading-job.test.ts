import { defaultGradingLimits } from "@hubfed/grader";
import { describe, expect, it } from "vitest";
import {
  buildGradingObjects,
  findUnsafeSupportPath,
  measureGradingFiles,
  type GradingJobInput,
} from "./grading-job";
import { stripNotebookOutputs } from "./notebook";
import { readResultsLine } from "./results";

// Vitest's asymmetric matchers are typed `any`; this gives one a type the linter accepts.
const arrayContaining = (items: unknown[]): unknown => expect.arrayContaining(items) as unknown;

const input: GradingJobInput = {
  namespace: "hub-data-8",
  name: "grade-abc-123456",
  labels: { "hubfed.io/hub": "data-8" },
  submissionLabel: "abc",
  image: "quay.io/jupyter/scipy-notebook:2025-06-02",
  nonce: "n0nce",
  notebook: "{}",
  testsJson: "[]",
  driverSource: "print('driver')",
  supportFiles: [{ path: "data/a.csv", contentBase64: "MQo=" }],
  limits: { ...defaultGradingLimits, wallClockSeconds: 120 },
  cpuMilli: 500,
  memoryMib: 1024,
};

describe("buildGradingObjects", () => {
  const { configMap, job } = buildGradingObjects(input);
  const spec = job.spec as {
    template: { spec: { containers: Array<Record<string, unknown>>; volumes: unknown[] } };
  };
  const container = spec.template.spec.containers[0] ?? {};

  it("runs the driver once, within the deadline, without a token, at the restricted profile", () => {
    expect(job).toMatchObject({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: "grade-abc-123456",
        namespace: "hub-data-8",
        labels: {
          "hubfed.io/grading": "true",
          "hubfed.io/hub": "data-8",
          "hubfed.io/submission": "abc",
          "app.kubernetes.io/managed-by": "hubfed",
        },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 120,
        ttlSecondsAfterFinished: 300,
        template: {
          metadata: { labels: { "hubfed.io/grading": "true" } },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: "RuntimeDefault" },
            },
          },
        },
      },
    });
    expect(container).toMatchObject({
      image: input.image,
      env: arrayContaining([{ name: "HUBFED_RESULTS_NONCE", value: "n0nce" }]),
      resources: {
        requests: { cpu: "500m", memory: "1Gi" },
        limits: { cpu: "500m", memory: "1Gi" },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    });
    expect((container.command as string[]).join(" ")).toContain(
      "exec python3 -I hubfed_grade.py --results=stdout-nonce --cell-timeout=117 --max-notebook-bytes=10485760 --memory-mib=1024",
    );
  });

  it("puts the files in a ConfigMap the pod mounts read-only, support files by path", () => {
    expect(configMap).toMatchObject({
      kind: "ConfigMap",
      metadata: { name: "grade-abc-123456", labels: { "hubfed.io/grading": "true" } },
      data: {
        "submission.ipynb": "{}",
        "tests.json": "[]",
        "hubfed_grade.py": "print('driver')",
      },
      binaryData: { "support-0": "MQo=" },
    });
    expect(spec.template.spec.volumes).toContainEqual({
      name: "input",
      configMap: {
        name: "grade-abc-123456",
        items: [
          { key: "submission.ipynb", path: "submission.ipynb" },
          { key: "tests.json", path: "tests.json" },
          { key: "hubfed_grade.py", path: "hubfed_grade.py" },
          { key: "support-0", path: "data/a.csv" },
        ],
      },
    });
    expect(container.volumeMounts).toContainEqual({
      name: "input",
      mountPath: "/hubfed/input",
      readOnly: true,
    });
    expect(measureGradingFiles(input)).toBe(2 + 2 + 15 + 4);
  });

  it("refuses support paths that leave the work directory or replace the driver's files", () => {
    for (const path of ["../x", "/etc/passwd", "a/../../b", "tests.json", "..data/x", "a//b", ""])
      expect(findUnsafeSupportPath([{ path, contentBase64: "" }])).toBe(path);
    expect(findUnsafeSupportPath([{ path: "data/a.b.csv", contentBase64: "" }])).toBeUndefined();
  });
});

describe("stripNotebookOutputs", () => {
  it("empties code cells' outputs and counts, keeps the rest, and passes non-notebooks through", () => {
    const notebook = {
      cells: [
        { cell_type: "code", source: "1", execution_count: 3, outputs: [{ text: "big" }] },
        { cell_type: "markdown", source: "# hi" },
      ],
      metadata: { kernelspec: { name: "python3" } },
      nbformat: 4,
    };
    expect(JSON.parse(stripNotebookOutputs(JSON.stringify(notebook)))).toEqual({
      ...notebook,
      cells: [
        { cell_type: "code", source: "1", execution_count: null, outputs: [] },
        { cell_type: "markdown", source: "# hi" },
      ],
    });
    expect(stripNotebookOutputs("not json")).toBe("not json");
    expect(stripNotebookOutputs('{"cells": 3}')).toBe('{"cells": 3}');
  });
});

describe("readResultsLine", () => {
  const results = { tests: [], score: 3 };
  const graded = JSON.stringify({ status: "graded", results });
  it("takes only the line with this submission's nonce", () => {
    const log = [
      'HUBFED-RESULTS wrong {"tests": [], "score": 100}',
      `HUBFED-RESULTS n0nce ${graded}`,
      "something else",
    ].join("\n");
    expect(readResultsLine(log, "n0nce")).toEqual({
      kind: "found",
      outcome: { status: "graded", results },
    });
    expect(readResultsLine(log, "other")).toEqual({ kind: "missing" });
  });
  it("trusts neither of two lines with the nonce, nor a malformed one", () => {
    const line = `HUBFED-RESULTS n0nce ${graded}`;
    expect(readResultsLine(`${line}\n${line}`, "n0nce")).toEqual({ kind: "ambiguous", count: 2 });
    expect(readResultsLine("HUBFED-RESULTS n0nce {", "n0nce").kind).toBe("malformed");
    expect(readResultsLine('HUBFED-RESULTS n0nce {"score": "3"}', "n0nce").kind).toBe("malformed");
  });
});
