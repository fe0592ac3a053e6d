import type { HubStatus } from "@hubfed/db";
import type { HubStatusDescription } from "../hubs/status-description";

// What the interact router (resolve-interact.ts) is asked, and the answers it
// may give; the portal's route handlers translate an answer into HTTP.

export type InteractRequest =
  | { form: "code"; code: string; userId: string | null }
  | { form: "classic" | "legacy"; query: URLSearchParams; userId: string | null };

export interface InteractCourse {
  slug: string;
  code: string;
  title: string;
  term: string;
}

export type InteractOutcome =
  | { kind: "redirect"; location: string; linkId: string | null; enrollmentId: string }
  /** `next` is a path on the portal (built by us, never taken from the request). */
  | { kind: "sign-in"; next: string }
  /**
   * Not enrolled, and the course takes join codes. Nothing about the course: anyone signed in
   * can name any course in `/interact?course=…`, and only its members learn what it is.
   */
  | { kind: "join"; next: string }
  | {
      kind: "hub-not-ready";
      course: InteractCourse;
      /** What a student may see: the status, never its technical reason. */
      hub: { status: HubStatus; isSimulated: boolean; description: HubStatusDescription } | null;
      retryAfterSeconds: number;
      next: string;
    }
  | { kind: "refuse"; status: 400 | 403 | 404 | 410; title: string; message: string };

/** Which /interact form a query is: `course=` makes it classic, a bare repository name legacy. */
export function interactFormOf(query: URLSearchParams): "classic" | "legacy" {
  if (query.has("course")) return "classic";
  const repo = query.get("repo") ?? "";
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(repo) ? "legacy" : "classic";
}
