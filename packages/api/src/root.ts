import type { inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./routers/audit";
import { capacityRouter } from "./routers/capacity";
import { creditsRouter } from "./routers/credits";
import { enrollmentRouter } from "./routers/enrollment";
import { fleetRouter } from "./routers/fleet";
import { gitopsRouter } from "./routers/gitops";
import { gradingRouter } from "./routers/grading";
import { hubRouter } from "./routers/hub";
import { identityRouter } from "./routers/identity";
import { jobsRouter } from "./routers/jobs";
import { linkRouter } from "./routers/link";
import { meRouter } from "./routers/me";
import { notificationRouter } from "./routers/notification";
import { requestRouter } from "./routers/request";
import { regionRouter } from "./routers/region";
import { usageRouter } from "./routers/usage";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  region: regionRouter,
  request: requestRouter,
  notification: notificationRouter,
  credits: creditsRouter,
  hub: hubRouter,
  enrollment: enrollmentRouter,
  identity: identityRouter,
  link: linkRouter,
  gitops: gitopsRouter,
  capacity: capacityRouter,
  grading: gradingRouter,
  fleet: fleetRouter,
  audit: auditRouter,
  jobs: jobsRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;

/** What each procedure returns (after its zod output), for the components that render it. */
export type AppRouterOutputs = inferRouterOutputs<AppRouter>;
