"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

interface DemoAccount {
  email: string;
  name: string;
  description: string;
}

/** The demo and test sign-in: pick an account by email, no password. Never enabled in a real deployment. */
export function DevelopmentSignInForm({
  callbackPath,
  demoAccounts,
}: {
  callbackPath: string;
  demoAccounts: DemoAccount[];
}) {
  const [email, setEmail] = useState("");
  const [isSubmitting, setIsSubmitting] = useState(false);

  async function signInAs(address: string) {
    setIsSubmitting(true);
    await signIn("development", { email: address, callbackUrl: callbackPath });
  }

  return (
    <section className="space-y-5 rounded-lg border border-amber-300 bg-amber-50 p-5">
      <p className="text-sm text-amber-900">
        <strong>Development sign-in.</strong> This federation runs as a demo: you can sign in as any
        account by its email.
      </p>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void signInAs(email);
        }}
      >
        <label htmlFor="dev-email" className="sr-only">
          Email
        </label>
        <input
          id="dev-email"
          name="email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          placeholder="you@college.edu"
          className="flex-1 rounded-md border border-slate-300 px-3 py-2"
        />
        <button
          type="submit"
          disabled={isSubmitting}
          className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          Sign in
        </button>
      </form>
      <div>
        <h2 className="text-sm font-semibold text-slate-700">Demo accounts</h2>
        <ul className="mt-2 space-y-1">
          {demoAccounts.map((account) => (
            <li key={account.email}>
              <button
                type="button"
                disabled={isSubmitting}
                onClick={() => void signInAs(account.email)}
                className="text-left text-brand-700 underline-offset-2 hover:underline"
              >
                {account.name}
              </button>{" "}
              <span className="text-sm text-slate-600">
                — {account.description} ({account.email})
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
