import { buildHubNamespaceName } from "./labels";
import { type HubManifestInput, type KubernetesManifest } from "./types";

export const OIDC_CLIENT_ID_KEY = "client-id";

/**
 * The hub's OIDC client credentials at the portal (SPEC §5). The secret value
 * comes from the caller at apply time and appears only in this object's data:
 * never log built objects, log their keys (`describeManifest`).
 */
export function buildOidcClientSecret(
  input: HubManifestInput,
  labels: Record<string, string>,
  clientSecret: string,
): KubernetesManifest {
  if (clientSecret === "") throw new Error("The hub's OIDC client secret must not be empty");
  const { secretName, key } = input.oidc.clientSecretRef;
  if (key === OIDC_CLIENT_ID_KEY) {
    throw new Error(
      `The client secret cannot be stored under "${OIDC_CLIENT_ID_KEY}", which holds the client id`,
    );
  }
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: secretName, namespace: buildHubNamespaceName(input.hubSlug), labels },
    type: "Opaque",
    // `data` rather than `stringData`: the API server folds stringData into data
    // on write, so applying stringData would differ from what is stored.
    data: {
      [OIDC_CLIENT_ID_KEY]: Buffer.from(input.oidc.clientId, "utf8").toString("base64"),
      [key]: Buffer.from(clientSecret, "utf8").toString("base64"),
    },
  };
}
