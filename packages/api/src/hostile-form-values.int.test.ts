import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor, type Actor } from "@hubfed/auth";
import { assignmentSettingsSchema } from "@hubfed/core";
import { seedDemoFederation } from "@hubfed/core/testing";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import type { z } from "zod";
import {
  callOverHttp,
  contextFor,
  declaredMaximum,
  inputLeaves,
  inputSchemaLeaves,
  inputWith,
  listProcedures,
  unwrap,
  type InputLeaf,
} from "./testing/hostile";

// Hostile form values: every input of every procedure, read from the router, is sent oversized
// (100 000 characters, 10 001 items, numbers past any sane bound) and malformed (the wrong type)
// over HTTP exactly as the portal's /api/trpc route takes them. Each must come back as a bad
// request with an error on that very field, never a 500 and never accepted. A new procedure or a
// new field is covered the moment it exists.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();
const redis = new Redis(`${testRedisUrl()}/6`);
afterAll(() => redis.disconnect());

/** Someone every procedure's tier lets through, so each call reaches its input check. */
let everyone: Actor;

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  const user = await db.user.create({
    data: { email: "everyone@westvalley.edu", username: "everyone", isOperator: true },
  });
  const westValley = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
  await db.institutionMembership.create({
    data: { userId: user.id, institutionId: westValley.id, role: "ADMIN" },
  });
  const data101 = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
  const cs120 = await db.course.findUniqueOrThrow({ where: { slug: "ccc-cs-120-fa26" } });
  await db.enrollment.createMany({
    data: [
      { userId: user.id, courseId: data101.id, role: "INSTRUCTOR" },
      { userId: user.id, courseId: cs120.id, role: "STUDENT" },
    ],
  });
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error("no actor");
  everyone = actor;
  // An assignment of DATA 101 to edit (a copy of CS 120's seeded lab).
  const lab = await db.assignment.findFirstOrThrow({ where: { slug: "lab-1" } });
  const { id: _id, createdAt: _created, updatedAt: _updated, material, ...copied } = lab;
  await db.assignment.create({
    data: { ...copied, material: material ?? {}, courseId: data101.id, slug: "hostile-lab" },
  });
});

const validSettings = {
  title: "Lab",
  dueLocal: "2026-12-10T23:59",
  timeZone: "America/Los_Angeles",
  latePolicy: "NONE",
  latePenaltyPercentPerDay: null,
  points: 10,
  attemptsAllowed: null,
  hiddenResults: "AFTER_DUE",
};

/**
 * Inputs the API passes on unparsed (`z.unknown()`) because core checks them with a schema of its
 * own and keys the errors for its form. Each is walked like the API's own schemas, on a baseline
 * that is valid everywhere else, and the error is expected where core puts it. A new unchecked
 * input fails the suite until it is declared here.
 */
const checkedInCore: Record<
  string,
  { schema: z.ZodType; baseline: unknown; errorKey: (path: string[]) => string }
> = {
  "grading.create settings": {
    schema: assignmentSettingsSchema,
    baseline: {
      courseSlug: "wvc-data-101-fa26",
      settings: validSettings,
      source: { kind: "upload", files: [{ path: "lab.ipynb", contentBase64: "" }] },
    },
    errorKey: (path) => path.join(".") || "settings",
  },
  "grading.update settings": {
    schema: assignmentSettingsSchema,
    baseline: {
      courseSlug: "wvc-data-101-fa26",
      assignmentSlug: "hostile-lab",
      settings: validSettings,
    },
    errorKey: (path) => path.join(".") || "settings",
  },
};

const huge = 100_000;

function definitionType(schema: z.ZodType): string {
  return (schema as unknown as { _zod: { def: { type: string } } })._zod.def.type;
}

/** A value of the right type, for an array's items. */
function sampleOf(schema: z.ZodType): unknown {
  const inner = unwrap(schema);
  switch (definitionType(inner)) {
    case "string":
      return "x";
    case "number":
      return 1;
    case "bigint":
      return 1n;
    case "boolean":
      return true;
    case "date":
      return new Date();
    case "enum":
      return Object.values(
        (inner as unknown as { _zod: { def: { entries: Record<string, unknown> } } })._zod.def
          .entries,
      )[0];
    default:
      return {};
  }
}

/**
 * A value past any bound a form should accept, by kind (past the declared maximum when that is
 * larger, e.g. a notebook or a roster file); undefined for kinds that have no size.
 */
function oversizedValue(leaf: InputLeaf): unknown {
  const declared = declaredMaximum(leaf.schema);
  const past = declared !== undefined && declared >= huge ? declared + 1 : huge;
  switch (leaf.kind) {
    case "string":
    case "union":
    case "literal":
    case "enum":
      return "x".repeat(past);
    case "number":
      return 1e300;
    case "bigint":
      return 10n ** 40n;
    case "array": {
      const element = (leaf.schema as unknown as { _zod: { def: { element: z.ZodType } } })._zod.def
        .element;
      const items = declared !== undefined && declared >= 10_001 ? declared + 1 : 10_001;
      return Array.from({ length: items }, () => sampleOf(element));
    }
    case "record":
      return Object.fromEntries(Array.from({ length: 10_001 }, (_, index) => [`k${index}`, "x"]));
    default:
      return undefined;
  }
}

/** A value of the wrong type for the leaf. */
function malformedValue(leaf: InputLeaf): unknown {
  switch (leaf.kind) {
    case "string":
    case "enum":
    case "literal":
      return 12_345;
    case "number":
    case "bigint":
      return "not a number";
    case "boolean":
      return "yes";
    case "date":
      return "not a date";
    case "array":
      return "not a list";
    case "object":
    case "record":
      return "not an object";
    default:
      return { unexpected: [1, 2, 3] };
  }
}

/** Whether the answer is a bad request with an error on the field (or inside it). */
function hasFieldError(
  answer: Awaited<ReturnType<typeof callOverHttp>>,
  key: string,
  exactly: boolean,
) {
  if (answer.status !== 400 || answer.code !== "BAD_REQUEST" || !answer.fieldErrors) return false;
  return Object.keys(answer.fieldErrors).some(
    (field) => field === key || (!exactly && field.startsWith(`${key}.`)),
  );
}

/** The leaves to try for a procedure: its own, and those core checks behind `z.unknown()`. */
function leavesOf(procedure: (typeof procedures)[number]) {
  return inputSchemaLeaves(procedure).flatMap((leaf) => {
    const field = leaf.path.join(".") || "input";
    if (!["unknown", "any"].includes(leaf.kind))
      return [{ leaf, baseline: undefined, errorKey: field }];
    const declared = checkedInCore[`${procedure.path} ${field}`];
    if (!declared) return [{ leaf, baseline: undefined, errorKey: "" }];
    return inputLeaves(declared.schema).map((inner) => ({
      leaf: { ...inner, path: [...leaf.path, ...inner.path] },
      baseline: declared.baseline,
      errorKey: declared.errorKey(inner.path),
    }));
  });
}

const procedures = listProcedures().filter((procedure) => procedure.inputs.length > 0);

describe("hostile form values: every input, oversized and malformed, gets a field-level error", () => {
  it("reads the inputs of the router's procedures", () => {
    expect(procedures.length).toBeGreaterThan(60);
    for (const procedure of procedures)
      expect(leavesOf(procedure).length, procedure.path).toBeGreaterThan(0);
  });

  for (const procedure of procedures) {
    it(`${procedure.path}: refuses oversized and malformed values field by field, never a 500`, async () => {
      const context = contextFor({ db: database().db, queues, redis }, everyone);
      const failures: string[] = [];
      for (const { leaf, baseline, errorKey } of leavesOf(procedure)) {
        const field = leaf.path.join(".") || "input";
        if (errorKey === "") {
          failures.push(
            `${field} is not checked by the API: declare where core checks it (checkedInCore)`,
          );
          continue;
        }
        const oversized = oversizedValue(leaf);
        if (oversized !== undefined) {
          const answer = await callOverHttp(
            procedure,
            inputWith(leaf, oversized, baseline),
            context,
          );
          // An oversized list must be refused as a list, not only for its items.
          if (!hasFieldError(answer, errorKey, leaf.kind === "array"))
            failures.push(`${field} (${leaf.kind}) oversized: ${summarise(answer)}`);
        }
        const malformed = await callOverHttp(
          procedure,
          inputWith(leaf, malformedValue(leaf), baseline),
          context,
        );
        if (!hasFieldError(malformed, errorKey, false))
          failures.push(`${field} (${leaf.kind}) malformed: ${summarise(malformed)}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

function summarise(answer: Awaited<ReturnType<typeof callOverHttp>>): string {
  return `HTTP ${answer.status} ${answer.code ?? ""} ${JSON.stringify(answer.fieldErrors)} ${answer.message?.slice(0, 120) ?? ""}`;
}
