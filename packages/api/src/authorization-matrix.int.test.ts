import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { loadActor, permissionTable, roles, type Actor, type Role } from "@hubfed/auth";
import { createTestCourse, testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { createSecretBox } from "@hubfed/identity/secret-box";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { appRouter } from "./root";
import { createCallerFactory, type ProcedureMeta } from "./trpc";

// Every procedure × every role, generated from the router and the permission
// table: a procedure must refuse exactly the roles its tier and action do not
// allow. A new procedure is covered the moment it is added to the router.

const database = useTestDatabase();
const createCaller = createCallerFactory(appRouter);
const secretBox = createSecretBox(Buffer.alloc(32, 1).toString("base64"));
const queues = createInMemoryJobQueues();
const redis = new Redis(`${testRedisUrl()}/4`);
afterAll(() => redis.disconnect());

interface ProcedureRecord {
  _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta };
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureRecord>,
).map(([path, procedure]) => ({
  path,
  meta: procedure._def.meta,
}));

async function createActorFor(role: Role): Promise<Actor> {
  const db = database().db;
  const suffix = `${role}-${Math.random().toString(36).slice(2, 8)}`;
  const institution = await db.institution.create({
    data: { slug: `inst-${suffix}`, name: `Institution ${suffix}`, emailDomains: [] },
  });
  const user = await db.user.create({
    data: {
      username: `user-${suffix}`,
      email: `${suffix}@example.org`,
      isOperator: role === "ops",
    },
  });
  if (role === "institution-admin")
    await db.institutionMembership.create({
      data: { userId: user.id, institutionId: institution.id, role: "ADMIN" },
    });
  if (role === "instructor" || role === "ta" || role === "student") {
    const course = await createTestCourse(db, {
      slug: `course-${suffix}`,
      institutionId: institution.id,
    });
    const courseRole = { instructor: "INSTRUCTOR", ta: "TA", student: "STUDENT" } as const;
    await db.enrollment.create({
      data: { userId: user.id, courseId: course.id, role: courseRole[role] },
    });
  }
  const actor = await loadActor(db, user.id);
  if (!actor) throw new Error("actor not loaded");
  return actor;
}

async function call(
  path: string,
  actor: Actor | undefined,
): Promise<"allowed" | "UNAUTHORIZED" | "FORBIDDEN"> {
  const caller = createCaller({
    db: database().db,
    queues,
    jobInspector: queues,
    secretBox,
    redis,
    verifyLink: () => Promise.resolve({ outcome: "unknown" as const, message: "not checked here" }),
    readRepositoryMaterial: () =>
      Promise.resolve({
        ok: false as const,
        field: "repositoryUrl" as const,
        message: "not read here",
      }),
    identifyHubUser: () => Promise.resolve(null),
    actor,
    requestMetadata: {},
  }) as unknown as Record<string, Record<string, () => Promise<unknown>>>;
  const [namespace, name] = path.split(".") as [string, string];
  const procedure = caller[namespace]?.[name];
  if (!procedure) throw new Error(`no procedure ${path}`);
  try {
    await procedure();
    return "allowed";
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN"))
      return error.code;
    // Any other failure happened after authorization let the call through.
    return "allowed";
  }
}

describe("authorization matrix", () => {
  it("covers every procedure with a declared tier", () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const { path, meta } of procedures) {
      expect(meta?.tier, `${path} declares no tier`).toBeDefined();
      if (meta?.tier === "permission")
        expect(Object.keys(permissionTable), path).toContain(meta.permission);
    }
  });

  for (const { path, meta } of procedures) {
    it(`${path}: refuses visitors unless public`, async () => {
      expect(await call(path, undefined)).toBe(
        meta?.tier === "public" ? "allowed" : "UNAUTHORIZED",
      );
    });

    for (const role of roles) {
      const allowedRoles: readonly Role[] =
        meta?.tier === "permission" && meta.permission ? permissionTable[meta.permission] : roles;
      const isAllowed = allowedRoles.includes(role);
      it(`${path}: ${isAllowed ? "allows" : "refuses"} ${role}`, async () => {
        const actor = await createActorFor(role);
        expect(await call(path, actor)).toBe(isAllowed ? "allowed" : "FORBIDDEN");
      });
    }
  }
});
