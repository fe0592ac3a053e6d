import {
  hubInterfaceLabels,
  hubInterfaces,
  identityProviders,
  type IdentityProvider,
} from "@hubfed/hub-spec";
import type { DraftBinding } from "../draft-binding";
import { DraftTextField } from "../draft-fields";
import { Field, fieldId, ListInput, SelectInput } from "../fields";
import type { RequestRegion } from "../request-options";

const identityProviderLabels: Record<IdentityProvider, string> = {
  oidc: "Our institution's sign-in (OpenID Connect)",
  google: "Google accounts",
  github: "GitHub accounts",
};

/**
 * Step 5: what students work in (course material, interface, image: the environment section)
 * and how they sign in (the identity section).
 */
export function EnvironmentStep({
  form,
  region,
}: {
  form: DraftBinding;
  /** The preferred region: its curated images are the ones offered. */
  region: RequestRegion | undefined;
}) {
  const { draft, set, errorsFor, errorsUnder } = form;
  const image = draft.environment?.image;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="md:col-span-2">
        <Field
          path="environment.contentSources"
          label="Where your course material lives (GitHub)"
          hint="Comma-separated organisations or repositories, e.g. github.com/your-college-data8. Content links may only pull from these; you can change them later on the course's Links page."
          errors={errorsUnder("environment.contentSources")}
        >
          <ListInput
            path="environment.contentSources"
            value={draft.environment?.contentSources}
            onChange={(next) => set("environment.contentSources", next)}
            hasError={Boolean(errorsFor("environment.contentSources"))}
          />
        </Field>
      </div>
      <Field
        path="environment.interface"
        label="Interface"
        hint={
          Object.entries(region?.unavailableInterfaces ?? {})
            .map(
              ([item, reason]) =>
                `${hubInterfaceLabels[item as keyof typeof hubInterfaceLabels]} is not offered in ${region?.name ?? "this region"}: ${reason}`,
            )
            .join(" ") || undefined
        }
        errors={errorsFor("environment.interface")}
      >
        <SelectInput
          path="environment.interface"
          value={draft.environment?.interface}
          onChange={(next) => set("environment.interface", next)}
          options={hubInterfaces
            .filter((item) => !region?.unavailableInterfaces[item])
            .map((item) => ({ value: item, label: hubInterfaceLabels[item] }))}
          hasError={false}
        />
      </Field>
      <Field
        path="environment.image"
        label="Image"
        hint={
          image?.kind === "curated"
            ? region?.images.find((offered) => offered.name === (image as { name?: string }).name)
                ?.description
            : "A public image with a tag; it must be based on a Jupyter stack."
        }
        errors={errorsFor("environment.image") ?? errorsFor("environment.image.reference")}
      >
        <SelectInput
          path="environment.image"
          value={
            image?.kind === "custom"
              ? "custom"
              : ((image as { name?: string } | undefined)?.name ?? undefined)
          }
          onChange={(next) =>
            set(
              "environment.image",
              next === "custom"
                ? { kind: "custom", reference: "" }
                : { kind: "curated", name: next },
            )
          }
          options={[
            ...(region?.images ?? []).map((offered) => ({
              value: offered.name,
              label: `${offered.name} — ${offered.image}`,
            })),
            { value: "custom", label: "A custom image…" },
          ]}
          hasError={false}
        />
      </Field>
      <div className="md:col-span-2">
        <Field
          path="environment.autograder"
          label="Autograder"
          hint="Publish assignments with Otter-format tests; students check their answers in the notebook and submit for grading, and you get a gradebook. You can turn it on or off later with a change request."
          errors={errorsFor("environment.autograder")}
        >
          <label className="flex items-center gap-2 text-sm">
            <input
              id={fieldId("environment.autograder")}
              type="checkbox"
              checked={draft.environment?.autograder !== false}
              onChange={(event) => set("environment.autograder", event.target.checked)}
            />
            Give this course's hub an autograder
          </label>
        </Field>
      </div>
      {image?.kind === "custom" ? (
        <DraftTextField
          form={form}
          path="environment.image.reference"
          label="Custom image reference"
          placeholder="quay.io/your-org/your-image:2027-01"
        />
      ) : null}
      <Field
        path="identity.provider"
        label="Sign-in for students"
        errors={errorsFor("identity.provider")}
      >
        <SelectInput
          path="identity.provider"
          value={draft.identity?.provider}
          onChange={(next) => set("identity.provider", next)}
          options={identityProviders.map((provider) => ({
            value: provider,
            label: identityProviderLabels[provider],
          }))}
          hasError={false}
        />
      </Field>
      {draft.identity?.provider === "oidc" ? (
        <DraftTextField
          form={form}
          path="identity.issuerUrl"
          label="OpenID Connect issuer URL"
          placeholder="https://login.college.edu"
        />
      ) : null}
      <Field
        path="identity.allowedEmailDomains"
        label="Allowed email domains"
        hint="Only accounts with these email domains may sign in."
        errors={
          errorsFor("identity.allowedEmailDomains") ?? errorsFor("identity.allowedEmailDomains.0")
        }
      >
        <ListInput
          path="identity.allowedEmailDomains"
          value={draft.identity?.allowedEmailDomains}
          onChange={(next) => set("identity.allowedEmailDomains", next)}
          hasError={Boolean(errorsFor("identity.allowedEmailDomains"))}
        />
      </Field>
    </div>
  );
}
