import "server-only";
import { getServerSession, type Session } from "next-auth";
import { cache } from "react";
import { loadActor, type Actor } from "@hubfed/auth";
import { services } from "./services";

// Both are memoised per request (React's cache): the layout, the page and the guards all ask,
// and the session cookie and the person's roles do not change within one render.

export const currentSession = cache(async (): Promise<Session | null> => {
  return getServerSession(await services().authOptions());
});

/** The signed-in person's roles, or undefined for a visitor (or a deleted user). */
export const currentActor = cache(async (): Promise<Actor | undefined> => {
  const session = await currentSession();
  if (!session?.user.id) return undefined;
  return loadActor(services().db, session.user.id);
});
