import { meRouter } from "./routers/me";
import { regionRouter } from "./routers/region";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  region: regionRouter,
});

export type AppRouter = typeof appRouter;
