import type { DatabaseClient } from "@hubfed/db";
import { notify } from "../audit";
import { planFromDatabase } from "./plan-from-database";

const hourMs = 3_600_000;

/**
 * Warns a course's instructors and the operators, ahead of time, when its
 * cluster cannot hold what the plan wants during `from`…`to` — on a single
 * VM, when a window's seats need more memory than the machine has. Called
 * once a window is approved, so nobody learns of it from students at the
 * door. Returns the number of conflicts found.
 */
export async function warnIfClusterCannotHold(
  db: DatabaseClient,
  { courseId, from, to, what }: { courseId: string; from: Date; to: Date; what: string },
): Promise<number> {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    select: {
      slug: true,
      code: true,
      hubs: { select: { id: true, slug: true } },
      enrollments: { where: { role: "INSTRUCTOR" }, select: { userId: true } },
    },
  });
  const { plan } = await planFromDatabase(db, {
    from: new Date(from.getTime() - hourMs),
    to: new Date(to.getTime() + hourMs),
  });
  const hubSlugs = new Set(course.hubs.map((hub) => hub.slug));
  const conflicts = plan.clusters
    .flatMap((cluster) => cluster.conflicts)
    .filter((conflict) => conflict.hubSlugs.some((slug) => hubSlugs.has(slug)));
  if (conflicts.length === 0) return 0;
  const worst = conflicts.reduce((a, b) => (b.wantedMemoryMib > a.wantedMemoryMib ? b : a));
  const operators = await db.user.findMany({ where: { isOperator: true }, select: { id: true } });
  await notify(db, {
    userIds: [...course.enrollments.map((row) => row.userId), ...operators.map((user) => user.id)],
    kind: "capacity.cannot-hold",
    title: `${course.code}: the hub's machines cannot hold ${what}`,
    body: `At its busiest it wants ${Math.round(worst.wantedMemoryMib / 1024)} GiB and the cluster can give ${Math.round(worst.poolMaxMemoryMib / 1024)} GiB (${worst.hubSlugs.join(", ")}). Fewer seats, less memory per seat, or another time would fit.`.slice(
      0,
      500,
    ),
    href: `/courses/${course.slug}/schedule`,
  });
  return conflicts.length;
}
