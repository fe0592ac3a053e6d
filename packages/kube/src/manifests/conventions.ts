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
/**
 * The cert-manager ClusterIssuer hubs' Ingresses ask for their certificate
 * (deploy/region/issuer/cluster-issuer.yaml creates it in each region cluster).
 */
export const CLUSTER_ISSUER_NAME = "hubfed";

/** Where the chart keeps the portal service's generated API token in Secret `hub`. */
export const PORTAL_SERVICE_TOKEN_KEY = `hub.services.${PORTAL_SERVICE_NAME}.apiToken`;
/** Grading pods (grading/grading-job.ts) carry it; the deny-grading-traffic policy selects it. */
export const GRADING_LABEL = "hubfed.io/grading";

/** The chart's `component` label on user servers (KubeSpawner's pods) and their home volumes. */
export const SINGLEUSER_SERVER_SELECTOR = "component=singleuser-server";
export const SINGLEUSER_STORAGE_SELECTOR = "component=singleuser-storage";
/** Every pod that serves a hub's users: the hub, its proxy and the user servers. */
export const SERVING_PODS_SELECTOR = "component in (hub,proxy,singleuser-server)";
