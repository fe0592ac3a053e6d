/**
 * The user interfaces a hub can open its users' servers in. Every runtime
 * maps each of them to a start URL; the request form, the region config and
 * the API offer exactly these.
 */
export const hubInterfaces = ["lab", "classic", "rstudio"] as const;

export type HubInterface = (typeof hubInterfaces)[number];

/** What people read for each interface (request form, summaries, hub pages). */
export const hubInterfaceLabels: Record<HubInterface, string> = {
  lab: "JupyterLab",
  classic: "Classic notebook",
  rstudio: "RStudio",
};

/** The path a user's server opens at for each interface (JupyterHub's `Spawner.default_url`). */
export const hubInterfaceStartPaths: Record<HubInterface, string> = {
  lab: "/lab",
  classic: "/tree",
  rstudio: "/rstudio",
};
