import type { LinkInterface } from "@hubfed/db";

/** What each link target opens, in people's words: the link builder's choices and the link list's column. */
export const linkInterfaceLabels = {
  LAB: "JupyterLab",
  CLASSIC: "Classic notebook",
  RSTUDIO: "RStudio",
  SHINY: "Shiny app",
} as const satisfies Record<LinkInterface, string>;
