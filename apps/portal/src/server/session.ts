import "server-only";
import type { Session } from "next-auth";
import { headers } from "next/headers";
import { cache } from "react";
import type { Actor } from "@hubfed/auth";
import { loadPageViewer, type PageViewer } from "@hubfed/core";
import { services } from "./services";

// All are memoised per request (React's cache): the layout, the page and the guards all ask,
// and the session cookie and the person's roles do not change within one render.

/**
 * Who is signed in, in next-auth's Session shape, read from the session cookie by the portal's
 * one session reader (@hubfed/identity): the cookie next-auth wrote, opened with the same secret,
 * and remembered per cookie, rather than next-auth's getServerSession, which derives the key and
 * decrypts on every page (docs/benchmarks.md, "My hubs").
 */
export const currentSession = cache(async (): Promise<Session | null> => {
  const portalSession = await services().readPortalSession((await headers()).get("cookie"));
  if (!portalSession) return null;
  const { userId, name, email, username, isOperator, expiresAt } = portalSession;
  return {
    user: { id: userId, name, email, username, isOperator },
    expires: new Date(Number.isFinite(expiresAt) ? expiresAt : Date.now()).toISOString(),
  };
});

/**
 * The signed-in person as the page sees them: their roles and the header's unread count, read in
 * one statement. Undefined for a visitor (or a deleted user).
 */
export const currentViewer = cache(async (): Promise<PageViewer | undefined> => {
  const session = await currentSession();
  if (!session?.user.id) return undefined;
  return loadPageViewer(services().db, session.user.id);
});

/** The signed-in person's roles, or undefined for a visitor (or a deleted user). */
export const currentActor = cache(
  async (): Promise<Actor | undefined> => (await currentViewer())?.actor,
);
