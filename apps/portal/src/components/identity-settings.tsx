"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { formatDateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { WideTable } from "~/components/wide-table";

const inputClass = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

interface Institution {
  slug: string;
  name: string;
  emailDomains: string[];
  oidcIssuer: string | null;
  oidcClientId: string | null;
  hasClientSecret: boolean;
}

function FieldError({ messages }: { messages?: string[] }) {
  if (!messages?.length) return null;
  return <p className="mt-1 text-sm text-red-700">{messages.join(" ")}</p>;
}

/** One institution's own OpenID Connect provider; the secret is write-only. */
function InstitutionSignInForm({ institution }: { institution: Institution }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const configure = useMutation(
    trpc.identity.configureInstitution.mutationOptions({
      onSuccess: () => {
        setErrors({});
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.identity.settings.queryKey() });
      },
      onError: (error) => {
        setSaved(false);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => (form.get(name) as string | null) ?? "";
    configure.mutate({
      institutionSlug: institution.slug,
      issuer: text("issuer"),
      clientId: text("clientId"),
      clientSecret: text("clientSecret") || undefined,
      emailDomains: text("emailDomains")
        .split(/[\s,]+/)
        .filter(Boolean),
    });
  }

  const domainErrors = Object.entries(errors)
    .filter(([key]) => key === "emailDomains" || key.startsWith("emailDomains."))
    .flatMap(([, messages]) => messages);

  return (
    <form
      onSubmit={submit}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      aria-label={`Sign-in for ${institution.name}`}
    >
      <h3 className="font-semibold">{institution.name}</h3>
      <label className="block text-sm">
        Issuer URL
        <input name="issuer" defaultValue={institution.oidcIssuer ?? ""} className={inputClass} />
        <FieldError messages={errors.issuer} />
      </label>
      <label className="block text-sm">
        Client id
        <input
          name="clientId"
          defaultValue={institution.oidcClientId ?? ""}
          className={inputClass}
        />
        <FieldError messages={errors.clientId} />
      </label>
      <label className="block text-sm">
        Client secret{" "}
        <span className="text-slate-500">
          {institution.hasClientSecret ? "(set; leave empty to keep it)" : "(not set)"}
        </span>
        <input name="clientSecret" type="password" autoComplete="off" className={inputClass} />
        <FieldError messages={errors.clientSecret} />
      </label>
      <label className="block text-sm">
        Email domains it vouches for
        <input
          name="emailDomains"
          defaultValue={institution.emailDomains.join(", ")}
          className={inputClass}
        />
        <FieldError messages={domainErrors} />
      </label>
      <FieldError messages={errors.form} />
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={configure.isPending}
          className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60"
        >
          {configure.isPending ? "Saving…" : "Save sign-in settings"}
        </button>
        {saved ? <span className="text-sm text-green-700">Saved.</span> : null}
      </div>
    </form>
  );
}

/** /ops/identity: institutions' sign-in, the portal's signing keys and hubs' client secrets. */
export function IdentitySettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.identity.settings.queryOptions());
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.identity.settings.queryKey() });
  const rotateKey = useMutation(
    trpc.identity.rotateSigningKey.mutationOptions({ onSuccess: refresh }),
  );
  const rotateHubSecret = useMutation(
    trpc.identity.rotateHubSecret.mutationOptions({ onSuccess: refresh }),
  );

  if (settings.isPending) return <p className="text-slate-500">Loading…</p>;
  if (settings.isError)
    return (
      <p role="alert" className="text-red-700">
        Could not load the settings: {settings.error.message}
      </p>
    );
  const { institutions, signingKeys, hubClients } = settings.data;

  return (
    <div className="space-y-10">
      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Institutions&apos; sign-in</h2>
        <p className="text-sm text-slate-600">
          People sign in with their own institution&apos;s OpenID Connect provider. Register Hubfed
          there with the redirect URI <code>/api/auth/callback/institution-&lt;slug&gt;</code> on
          this portal.
        </p>
        <div className="grid gap-4 md:grid-cols-2">
          {institutions.map((institution) => (
            <InstitutionSignInForm key={institution.slug} institution={institution} />
          ))}
        </div>
      </section>

      <section className="space-y-3">
        <div className="flex items-center justify-between">
          <h2 className="text-xl font-semibold">Signing keys</h2>
          <button
            type="button"
            onClick={() => rotateKey.mutate()}
            disabled={rotateKey.isPending}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium disabled:opacity-60"
          >
            {rotateKey.isPending ? "Rotating…" : "Rotate signing key"}
          </button>
        </div>
        {rotateKey.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {rotateKey.error.message}
          </p>
        ) : null}
        <WideTable className="w-full text-left text-sm" data-testid="signing-keys">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1">Key id</th>
              <th>Created</th>
              <th>Retired</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {signingKeys.map((key) => (
              <tr key={key.kid} className="border-t border-slate-100">
                <td className="py-1 font-mono text-xs">{key.kid}</td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{key.retiredAt ? formatDateTime(key.retiredAt) : "—"}</td>
                <td>
                  {key.state === "signing"
                    ? "signing"
                    : key.state === "published"
                      ? "published for verification"
                      : "expired"}
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Hub clients</h2>
        {rotateHubSecret.isError ? (
          <p role="alert" className="text-sm text-red-700">
            {rotateHubSecret.error.message}
          </p>
        ) : null}
        <WideTable className="w-full text-left text-sm" data-testid="hub-clients">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1">Hub</th>
              <th>Client id</th>
              <th>Redirect URI</th>
              <th>Secret rotated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hubClients.map((client) => (
              <tr key={client.clientId} className="border-t border-slate-100">
                <td className="py-1">{client.hubSlug}</td>
                <td className="font-mono text-xs">{client.clientId}</td>
                <td className="font-mono text-xs">{client.redirectUris.join(" ")}</td>
                <td>{formatDateTime(client.rotatedAt)}</td>
                <td>
                  <button
                    type="button"
                    disabled={rotateHubSecret.isPending || client.hubStatus === "ARCHIVED"}
                    onClick={() => rotateHubSecret.mutate({ hubSlug: client.hubSlug })}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs disabled:opacity-60"
                  >
                    Rotate secret
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      </section>
    </div>
  );
}
