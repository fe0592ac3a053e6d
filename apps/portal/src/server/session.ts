import "server-only";
import { getServerSession, type Session } from "next-auth";
import { loadActor, type Actor } from "@hubfed/auth";
import { services } from "./services";

export async function currentSession(): Promise<Session | null> {
  return getServerSession(await services().authOptions());
}

/** The signed-in person's roles, or undefined for a visitor (or a deleted user). */
export async function currentActor(): Promise<Actor | undefined> {
  const session = await currentSession();
  if (!session?.user.id) return undefined;
  return loadActor(services().db, session.user.id);
}
