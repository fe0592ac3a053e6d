import type { DatabaseClient } from "@hubfed/db";

/**
 * What a hub learns about a person (SPEC §5). `preferred_username` is the portal's stable,
 * hub-safe username. `groups` carries the person's roles in the course of the hub that asks —
 * `<course slug>:student|ta|instructor` — and nothing about their other courses: a hub needs to
 * know whether to let someone in and whether they are staff, not where else they study.
 *
 * A course may have several hubs (sections on several clusters). A student placed on one of them
 * (Enrollment.hubId, sticky: their files live there) is a student of that hub only: another hub
 * of the course gets no group for them, so it refuses them. Staff teach every section and get
 * their group at each. A student not placed yet is placed at their first launch from the portal;
 * until then every hub of the course lets them in, as before.
 */
export interface HubfedClaims {
  sub: string;
  preferred_username: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  groups: string[];
  [claim: string]: unknown;
}

export async function claimsFor(
  db: DatabaseClient,
  userId: string,
  clientId: string | undefined,
): Promise<HubfedClaims | undefined> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, username: true, name: true, email: true, emailVerified: true },
  });
  if (!user) return undefined;
  const groups: string[] = [];
  if (clientId) {
    const client = await db.hubOidcClient.findUnique({
      where: { clientId },
      select: { hubId: true, hub: { select: { course: { select: { id: true, slug: true } } } } },
    });
    const course = client?.hub.course;
    if (client && course) {
      const enrollment = await db.enrollment.findUnique({
        where: { userId_courseId: { userId, courseId: course.id } },
        select: { role: true, hubId: true },
      });
      const placedElsewhere =
        enrollment?.role === "STUDENT" &&
        enrollment.hubId !== null &&
        enrollment.hubId !== client.hubId;
      if (enrollment && !placedElsewhere)
        groups.push(`${course.slug}:${enrollment.role.toLowerCase()}`);
    }
  }
  return {
    sub: user.id,
    preferred_username: user.username,
    ...(user.name ? { name: user.name } : {}),
    ...(user.email ? { email: user.email, email_verified: user.emailVerified !== null } : {}),
    groups,
  };
}
