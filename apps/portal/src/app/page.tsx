import Link from "next/link";
import { can } from "@hubfed/auth";
import { demoTour } from "@hubfed/core";
import { GetStarted, InstitutionAdminTasks, OperatorTasks } from "~/components/home-tasks";
import { portalEnvironment } from "~/env";
import { MyHubs } from "~/components/enrollment/my-hubs";
import { MyCourses } from "~/components/my-courses";
import { RegionsPanel } from "~/components/regions-panel";
import { serverApi } from "~/server/api";
import { currentActor, currentSession } from "~/server/session";

export default async function HomePage() {
  const session = await currentSession();
  if (!session) return <Landing isDemo={portalEnvironment().HUBFED_DEMO === "1"} />;
  const actor = await currentActor();
  const api = await serverApi();
  // Each kind of person finds what they came for: ops and institution admins their tasks,
  // anyone enrolled (students above all) My hubs, and everyone the ways in (join, request).
  const [myHubs, tasks] = await Promise.all([
    actor && actor.courseRoles.size > 0 ? api.me.hubs() : null,
    actor ? api.me.homeTasks() : null,
  ]);
  return (
    <div className="space-y-10">
      <h1 className="text-3xl font-bold">Welcome, {session.user.name ?? session.user.username}</h1>
      {tasks?.operator ? <OperatorTasks tasks={tasks.operator} /> : null}
      {tasks?.institutionAdmin ? <InstitutionAdminTasks tasks={tasks.institutionAdmin} /> : null}
      {myHubs ? <MyHubs hubs={myHubs} /> : null}
      <GetStarted myOpenRequests={tasks?.myOpenRequests ?? []} />
      <MyCourses />
      {actor && can(actor, "region.read") ? (
        <section aria-labelledby="regions-heading">
          <h2 id="regions-heading" className="mb-3 text-xl font-semibold">
            Federation regions
          </h2>
          <RegionsPanel />
        </section>
      ) : null}
    </div>
  );
}

function Landing({ isDemo }: { isDemo: boolean }) {
  const features = [
    {
      title: "Request a hub in minutes",
      body: "Describe your course, its schedule and its students; see what it will cost before you submit.",
    },
    {
      title: "Pooled cloud credits",
      body: "Federation operators pool credits per cloud and allocate them to courses, with an exact ledger.",
    },
    {
      title: "One sign-in, every hub",
      body: "Students find all their course hubs on one page and sign in once.",
    },
    {
      title: "Links that land",
      body: "Instructors publish content links that open the right hub and pull the material in.",
    },
  ];
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-gradient-to-br from-brand-900 to-brand-600 px-8 py-14 text-white">
        <h1 className="text-4xl font-bold tracking-tight">A hub of hubs for course JupyterHubs</h1>
        <p className="mt-4 max-w-2xl text-lg text-brand-50">
          Hubfed gives small colleges a working JupyterHub for every course — provisioned, paid for
          from pooled credits, and ready on day one.
        </p>
        <Link
          href="/signin"
          className="mt-8 inline-block rounded-md bg-white px-5 py-2.5 font-semibold text-brand-900 hover:bg-brand-50"
        >
          Sign in
        </Link>
      </section>
      {isDemo ? <DemoTour /> : null}
      <section className="grid gap-6 md:grid-cols-2" aria-label="What Hubfed does">
        {features.map((feature) => (
          <div
            key={feature.title}
            className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
          >
            <h2 className="text-lg font-semibold">{feature.title}</h2>
            <p className="mt-2 text-slate-600">{feature.body}</p>
          </div>
        ))}
      </section>
    </div>
  );
}

/** The tour `npm start` prints, on the page a newcomer opens first (demo deployments only). */
function DemoTour() {
  return (
    <section
      aria-labelledby="demo-tour-heading"
      className="rounded-lg border border-slate-200 bg-brand-50 p-6"
      data-testid="demo-tour"
    >
      <h2 id="demo-tour-heading" className="text-lg font-semibold">
        This is the demo federation: a five-minute tour
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Sign in as each person in turn (pick the account on the sign-in page; no password).
      </p>
      <ol className="mt-4 space-y-4">
        {demoTour.map((stop) => (
          <li key={stop.email}>
            <p className="font-medium">
              As {stop.as}: <code className="text-sm">{stop.email}</code>
            </p>
            <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700">
              {stop.steps.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
