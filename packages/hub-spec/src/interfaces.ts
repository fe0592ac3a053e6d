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

/**
 * What a hub on the portal's VM (the local runtime: Debian's JupyterHub 3.0 with the classic
 * notebook 6, docs/local-runtime.md) cannot open, and why: the request form and the link builder
 * leave these out for local hubs and say so. JupyterLab stays offered: a machine with it installed
 * opens it, any other opens the classic notebook.
 */
export const localUnavailableInterfaces: Partial<Record<HubInterface, string>> = {
  rstudio:
    "Hubs on the portal's VM run Debian's classic Jupyter notebook, which has no RStudio. Choose a region with Kubernetes clusters for RStudio.",
};
