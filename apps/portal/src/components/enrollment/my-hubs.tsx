import Link from "next/link";
import type { AppRouterOutputs } from "@hubfed/api";
import { formatDateTime } from "~/lib/format";
import { MyHubCards, type MyHubCard } from "./my-hub-cards";

type MyHub = AppRouterOutputs["me"]["hubs"][number];

const roleLabels = { INSTRUCTOR: "Instructor", TA: "Teaching assistant", STUDENT: "Student" };

/**
 * My hubs (SPEC §1): every course hub of the signed-in person, rendered on the server.
 *
 * The cards are a client component fed with what they show, already in words: a server-rendered
 * tree travels twice (as HTML and again as the React payload the browser hydrates from), ~2.8 KiB
 * of elements and class names per card, where the words themselves are ~0.4 KiB. For a student
 * with 20 hubs that was most of the page's bytes and of its rendering time (docs/benchmarks.md,
 * "My hubs"). Dates are formatted here, once, so the browser shows exactly what the server did.
 */
export function MyHubs({ hubs }: { hubs: MyHub[] }) {
  return (
    <section aria-labelledby="my-hubs-heading">
      <div className="flex items-baseline justify-between">
        <h2 id="my-hubs-heading" className="text-xl font-semibold">
          My hubs
        </h2>
        <Link href="/join" className="text-sm text-brand-700 hover:underline">
          Join a course with a code
        </Link>
      </div>
      {hubs.length === 0 ? (
        <p className="mt-2 text-slate-600">
          You have no course hubs yet. Ask your instructor for a join link or code.
        </p>
      ) : (
        <MyHubCards cards={hubs.map(cardOf)} />
      )}
    </section>
  );
}

function cardOf({ course, hub, role, lastLaunchedAt, latestLinks, launchPath }: MyHub): MyHubCard {
  const slug = encodeURIComponent(course.slug);
  return {
    slug: course.slug,
    heading: `${course.code}: ${course.title}`,
    courseCode: course.code,
    context: [course.institution, course.term, ...(role !== "STUDENT" ? [roleLabels[role]] : [])]
      .filter(Boolean)
      .join(" · "),
    status: hub
      ? {
          label: hub.statusDescription.label,
          tone: hub.statusDescription.tone,
          explanation: hub.statusDescription.explanation,
        }
      : { label: "No hub yet", tone: "slate" },
    region: hub?.region || "—",
    hubLastActive: hub?.lastActivityAt ? formatDateTime(hub.lastActivityAt) : "—",
    youLastOpened: lastLaunchedAt ? formatDateTime(lastLaunchedAt) : "never",
    notLaunchableBecause: hub && !hub.isLaunchable ? hub.statusDescription.explanation : undefined,
    links: latestLinks.map(({ code, title, shortPath }) => ({ code, title, href: shortPath })),
    launch: {
      href: launchPath,
      label: hub?.isLaunchable ? "Launch" : hub?.isSimulated ? "About this hub" : "Check status",
      isPrimary: hub?.isLaunchable === true,
    },
    assignmentsHref: `/courses/${slug}/assignments`,
    coursePageHref: role !== "STUDENT" ? `/courses/${slug}` : undefined,
  };
}
