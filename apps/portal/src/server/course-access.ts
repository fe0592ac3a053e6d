import "server-only";
import type { AppRouterOutputs } from "@hubfed/api";
import { isApiRefusal, serverApi } from "./api";

/**
 * The course a staff page is about, if the actor may read it (course.read in
 * the course's own scope); undefined otherwise, which pages show as a refusal.
 */
export async function courseForStaff(
  slug: string,
): Promise<AppRouterOutputs["enrollment"]["staffCourse"] | undefined> {
  try {
    return await (await serverApi()).enrollment.staffCourse({ courseSlug: slug });
  } catch (error) {
    if (isApiRefusal(error, ["BAD_REQUEST", "NOT_FOUND", "FORBIDDEN"])) return undefined;
    throw error;
  }
}
