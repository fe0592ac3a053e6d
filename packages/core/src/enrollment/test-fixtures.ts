import { beforeAll } from "vitest";
import { type Actor } from "@hubfed/auth/permissions";
import { loadActor } from "@hubfed/auth/actor";
import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { AppError } from "../errors";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";

// Small builders for the enrollment tests, on top of the demo federation.

/**
 * A fresh database with the demo federation seeded, and DATA 101's instructor once it is.
 * Call at the top of a test file: it registers the hooks.
 */
export function useDemoFederation() {
  const database = useTestDatabase();
  let instructor: Actor | undefined;
  beforeAll(async () => {
    await seedDemoFederation(database().db);
    instructor = await actorFor(database().db, "prof.rivera@westvalley.edu");
  });
  return {
    database,
    instructor: (): Actor => {
      if (!instructor) throw new Error("the demo federation is seeded in beforeAll");
      return instructor;
    },
  };
}

let sequence = 0;

export async function createStudent(db: DatabaseClient, label = "student") {
  sequence += 1;
  const suffix = `${label}-${sequence}-${Math.random().toString(36).slice(2, 7)}`;
  const user = await db.user.create({
    data: { email: `${suffix}@example.edu`, name: `Student ${suffix}`, username: suffix },
  });
  return { user, actor: await actorOf(db, user.id) };
}

export async function actorOf(db: DatabaseClient, userId: string): Promise<Actor> {
  const actor = await loadActor(db, userId);
  if (!actor) throw new Error(`no actor for ${userId}`);
  return actor;
}

/** A hub for a course on a demo cluster, with the spec of DATA 101's hub. */
export async function createHub(
  db: DatabaseClient,
  {
    courseSlug,
    clusterSlug,
    slug,
    status,
    weight = 100,
    url = status === "READY" ? `https://${slug}.hubs.example.org` : null,
    lastActivityAt = null,
  }: {
    courseSlug: string;
    clusterSlug: string;
    slug: string;
    status: HubStatus;
    weight?: number;
    url?: string | null;
    lastActivityAt?: Date | null;
  },
) {
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: clusterSlug } });
  const template = await db.hub.findFirstOrThrow({ select: { spec: true } });
  return db.hub.create({
    data: {
      slug,
      courseId: course.id,
      clusterId: cluster.id,
      status,
      url,
      weight,
      lastActivityAt,
      spec: template.spec ?? {},
    },
  });
}

/** The AppError a promise rejects with (fails the test if it resolves or throws something else). */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}
