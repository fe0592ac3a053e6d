import "server-only";
import { redirect } from "next/navigation";
import { can, type Action, type Actor } from "@hubfed/auth";
import { currentActor } from "./session";

/** Pages for signed-in people: a visitor is sent to sign in and brought back to `path`. */
export async function requireSignedIn(path: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return actor;
}

/** Pages behind a permission-table action; undefined means "show the refusal". */
export async function requirePagePermission(
  path: string,
  action: Action,
): Promise<Actor | undefined> {
  const actor = await requireSignedIn(path);
  return can(actor, action) ? actor : undefined;
}
