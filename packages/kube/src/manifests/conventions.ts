/**
 * Names and ports fixed by the Zero to JupyterHub chart 4.4.0 (its pods carry
 * a `component` label; namespaced objects are named after the component) and
 * by Hubfed's own conventions for what it adds next to the chart.
 */
export const PROXY_HTTP_PORT = 8000;
export const PROXY_API_PORT = 8001;
export const HUB_PORT = 8081;
export const SINGLEUSER_PORT = 8888;
/** Pods with this label may reach the hub (the chart's own NetworkPolicy honours it too). */
export const NETWORK_ACCESS_HUB_LABEL = "hub.jupyter.org/network-access-hub";
/** The chart-managed Secret that holds generated service tokens under `hub.services.<name>.apiToken`. */
export const HUB_SECRET_NAME = "hub";

export const PORTAL_SERVICE_NAME = "portal";
/** Where the chart keeps the portal service's generated API token in Secret `hub`. */
export const PORTAL_SERVICE_TOKEN_KEY = `hub.services.${PORTAL_SERVICE_NAME}.apiToken`;
/** Grading pods (grading/grading-job.ts) carry it; the deny-grading-traffic policy selects it. */
export const GRADING_LABEL = "hubfed.io/grading";
