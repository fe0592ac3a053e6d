import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectTarget } from "@hubfed/auth";
import { demoUsers } from "@hubfed/core";
import { DevelopmentSignInForm } from "~/components/development-sign-in-form";
import { ExternalSignInButtons } from "~/components/external-sign-in-buttons";
import { portalEnvironment } from "~/env";
import { services } from "~/server/services";
import { currentSession } from "~/server/session";

export const metadata: Metadata = { title: "Sign in" };

const errorMessages: Record<string, string> = {
  CredentialsSignin: "No account with that email exists in this federation.",
  "email-not-verified":
    "Your account there has no verified email address. Verify your email with that provider, or sign in with your institution.",
  "email-domain-not-allowed":
    "That email address does not belong to the institution you chose. Sign in with your own institution's account.",
  OAuthSignin: "We could not reach that sign-in provider. Please try again in a moment.",
  OAuthCallback: "The sign-in provider did not confirm who you are. Please try again.",
  AccessDenied: "You are not allowed to sign in to this federation.",
  default: "Signing in failed. Please try again.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const parameters = await searchParams;
  const environment = portalEnvironment();
  const requested = typeof parameters.callbackUrl === "string" ? parameters.callbackUrl : "/";
  // Only a path on our own origin may be returned to (SPEC §8).
  // The query stays: /interact links and the OIDC provider's interactions come back through here.
  const callbackTarget = new URL(safeRedirectTarget(requested, environment.NEXTAUTH_URL));
  const callbackPath = `${callbackTarget.pathname}${callbackTarget.search}`;
  if (await currentSession()) redirect(callbackPath);
  const error =
    typeof parameters.error === "string"
      ? (errorMessages[parameters.error] ?? errorMessages.default)
      : undefined;

  // Names and ids only: the providers' secrets stay on the server.
  const providers = (await services().signInProviders()).map(({ id, name, kind }) => ({
    id,
    name,
    kind,
  }));

  return (
    <div className="mx-auto max-w-lg space-y-6">
      <h1 className="text-3xl font-bold">Sign in to Hubfed</h1>
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800">
          {error}
        </p>
      ) : null}
      {providers.length > 0 ? (
        <ExternalSignInButtons providers={providers} callbackPath={callbackPath} />
      ) : null}
      {environment.isDevelopmentSignInEnabled ? (
        <DevelopmentSignInForm
          callbackPath={callbackPath}
          demoAccounts={demoUsers.map((user) => ({
            email: user.email,
            name: user.name,
            description: user.description,
          }))}
        />
      ) : providers.length > 0 ? null : (
        <p className="text-slate-600">
          Sign in with your institution&apos;s account. Your institution has not been configured for
          sign-in yet: contact your federation operator.
        </p>
      )}
    </div>
  );
}
