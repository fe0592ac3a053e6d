import type { DatabaseClient } from "@hubfed/db";
import { localUnavailableInterfaces } from "@hubfed/hub-spec";
import type { LinkInterfaceName } from "./validation";

/**
 * Link interfaces a hub on the portal's VM cannot open, and why (the runtime's own list, in
 * @hubfed/hub-spec, plus Shiny, which only links open): offering them would send students to a
 * classic notebook instead, without a word.
 */
export const localUnavailableLinkInterfaces: Partial<Record<LinkInterfaceName, string>> = {
  RSTUDIO: localUnavailableInterfaces.rstudio ?? "Not available on the portal's VM.",
  SHINY:
    "Hubs on the portal's VM run Debian's classic Jupyter notebook, which serves no Shiny apps. Link to a notebook or a folder instead.",
};

/** The interfaces a course's links may not use, because a hub of the course runs on the portal's VM. */
export async function unavailableLinkInterfacesOf(
  db: DatabaseClient,
  courseId: string,
): Promise<Array<{ interface: LinkInterfaceName; reason: string }>> {
  const localHub = await db.hub.findFirst({
    where: {
      courseId,
      cluster: { runtime: "LOCAL" },
      status: { notIn: ["ARCHIVED", "DECOMMISSIONING"] },
    },
    select: { id: true },
  });
  if (!localHub) return [];
  return Object.entries(localUnavailableLinkInterfaces).map(([name, reason]) => ({
    interface: name as LinkInterfaceName,
    reason,
  }));
}
