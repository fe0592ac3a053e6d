import type { DatabaseClient } from "@hubfed/db";

/**
 * What a hub learns about a person (SPEC §5). `preferred_username` is the portal's stable,
 * hub-safe username. `groups` carries the person's roles in the course of the hub that asks —
 * `<course slug>:student|ta|instructor` — and nothing about their other courses: a hub needs to
 * know whether to let someone in and whether they are staff, not where else they study.
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
      select: { hub: { select: { course: { select: { id: true, slug: true } } } } },
    });
    const course = client?.hub.course;
    if (course) {
      const enrollment = await db.enrollment.findUnique({
        where: { userId_courseId: { userId, courseId: course.id } },
        select: { role: true },
      });
      if (enrollment) groups.push(`${course.slug}:${enrollment.role.toLowerCase()}`);
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
