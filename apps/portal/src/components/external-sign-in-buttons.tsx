"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

export interface SignInProviderChoice {
  id: string;
  name: string;
  kind: "institution" | "github" | "google";
}

const labels: Record<SignInProviderChoice["kind"], (name: string) => string> = {
  institution: (name) => `Sign in with ${name}`,
  github: () => "Sign in with GitHub",
  google: () => "Sign in with Google",
};

/** One button per configured provider: institutions first, then GitHub and Google. */
export function ExternalSignInButtons({
  providers,
  callbackPath,
}: {
  providers: SignInProviderChoice[];
  callbackPath: string;
}) {
  const [pending, setPending] = useState<string | undefined>();
  return (
    <ul className="space-y-3">
      {providers.map((provider) => (
        <li key={provider.id}>
          <button
            type="button"
            disabled={pending !== undefined}
            onClick={() => {
              setPending(provider.id);
              void signIn(provider.id, { callbackUrl: callbackPath });
            }}
            className="w-full rounded-md border border-slate-300 bg-white px-4 py-3 text-left font-medium shadow-sm hover:bg-slate-50 disabled:opacity-60"
          >
            {pending === provider.id ? "Redirecting…" : labels[provider.kind](provider.name)}
          </button>
        </li>
      ))}
    </ul>
  );
}
