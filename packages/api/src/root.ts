import { creditsRouter } from "./routers/credits";
import { meRouter } from "./routers/me";
import { notificationRouter } from "./routers/notification";
import { requestRouter } from "./routers/request";
import { regionRouter } from "./routers/region";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  region: regionRouter,
  request: requestRouter,
  notification: notificationRouter,
  credits: creditsRouter,
});

export type AppRouter = typeof appRouter;
