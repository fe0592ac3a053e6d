import Link from "next/link";
import type { HomeTasks } from "@hubfed/core";
import { requestStatusLabel } from "~/lib/format";
import { JoinCodeForm } from "./links/join-code-form";

const cardClass = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";

function Count({ value, label, href }: { value: number; label: string; href: string }) {
  return (
    <Link href={href} className="block rounded-md p-2 hover:bg-slate-50">
      <span className="text-2xl font-semibold">{value}</span>{" "}
      <span className="text-slate-700">{label}</span>
    </Link>
  );
}

/** One person's tasks: a heading, then counts that link to where the work is. */
function TaskPanel({
  id,
  title,
  children,
}: {
  id: "operator-tasks" | "institution-admin-tasks";
  title: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className={cardClass} data-testid={id}>
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      <div className="mt-2 grid gap-2 sm:grid-cols-3">{children}</div>
    </section>
  );
}

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** What ops come to do: the review queue and the hubs that need them. */
export function OperatorTasks({ tasks }: { tasks: NonNullable<HomeTasks["operator"]> }) {
  return (
    <TaskPanel id="operator-tasks" title="Federation operations">
      <Count
        value={tasks.requestsAwaitingReview}
        label={plural(tasks.requestsAwaitingReview, "request to review", "requests to review")}
        href="/ops"
      />
      <Count
        value={tasks.hubsNeedingAttention}
        label={plural(
          tasks.hubsNeedingAttention,
          "hub failing or degraded",
          "hubs failing or degraded",
        )}
        href="/ops"
      />
      <Count
        value={tasks.capacityWindowsAwaitingReview}
        label={plural(
          tasks.capacityWindowsAwaitingReview,
          "capacity window to decide",
          "capacity windows to decide",
        )}
        href="/ops/capacity"
      />
      <Link href="/ops/credits" className="block rounded-md p-2 text-brand-700 hover:bg-slate-50">
        Credits, spend and forecasts →
      </Link>
    </TaskPanel>
  );
}

/** What an institution's admins come to do: their college's requests, hubs and spend. */
export function InstitutionAdminTasks({
  tasks,
}: {
  tasks: NonNullable<HomeTasks["institutionAdmin"]>;
}) {
  return (
    <TaskPanel id="institution-admin-tasks" title={tasks.institutions.join(", ")}>
      <Count
        value={tasks.openRequests}
        label={plural(tasks.openRequests, "request in review", "requests in review")}
        href="/requests"
      />
      <Count
        value={tasks.liveHubs}
        label={plural(tasks.liveHubs, "course hub", "course hubs")}
        href="/requests"
      />
      <Link href="/ops/credits" className="block rounded-md p-2 text-brand-700 hover:bg-slate-50">
        Your institution&apos;s credits and spend →
      </Link>
    </TaskPanel>
  );
}

/** The two ways in for anyone: join a course with a code, or request a hub for one's own course. */
export function GetStarted({ myOpenRequests }: { myOpenRequests: HomeTasks["myOpenRequests"] }) {
  return (
    <section
      aria-label="Get started"
      className="grid gap-4 md:grid-cols-2"
      data-testid="get-started"
    >
      <div className={cardClass}>
        <h2 className="text-lg font-semibold">Join a course</h2>
        <p className="mb-3 mt-1 text-sm text-slate-600">
          Enter the join code your instructor gave you; the course&apos;s hub appears under My hubs.
        </p>
        <JoinCodeForm next="/" />
      </div>
      <div className={cardClass}>
        <h2 className="text-lg font-semibold">Teaching a course?</h2>
        <p className="mt-1 text-sm text-slate-600">
          Request a JupyterHub for it: describe the course and its students, see what it will cost,
          and submit it for review.
        </p>
        <Link
          href="/request"
          className="mt-3 inline-block rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
        >
          Request a hub
        </Link>
        {myOpenRequests.length > 0 ? (
          <ul className="mt-3 space-y-1 text-sm" data-testid="my-open-requests">
            {myOpenRequests.map((request) => (
              <li key={request.id}>
                <Link
                  href={
                    request.status === "DRAFT"
                      ? `/request?id=${request.id}`
                      : `/requests/${request.id}`
                  }
                  className="text-brand-700 hover:underline"
                >
                  {request.title}
                </Link>{" "}
                <span className="text-slate-500">· {requestStatusLabel(request.status)}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
