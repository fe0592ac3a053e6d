import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "~/components/sign-out-button";
import { can } from "@hubfed/auth";
import { currentSession, currentViewer } from "~/server/session";
import { ApiProvider } from "~/trpc/react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Hubfed", template: "%s · Hubfed" },
  description:
    "A regional federation of course JupyterHubs: request a hub, pool cloud credits, sign in once.",
};

// Every page depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  // The roles and the unread count in one statement (the header shows both on every page).
  const viewer = session ? await currentViewer() : undefined;
  const actor = viewer?.actor;
  const unreadCount = viewer?.unreadNotifications ?? 0;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <header className="border-b border-slate-200 bg-white">
          <nav
            className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6"
            aria-label="Main"
          >
            <Link href="/" className="text-lg font-semibold text-brand-900">
              Hubfed
            </Link>
            {session ? (
              <>
                <div className="flex min-w-0 items-center gap-3 text-sm md:order-last">
                  <span data-testid="signed-in-as" className="min-w-0 truncate">
                    {session.user.name ?? session.user.email}{" "}
                    <span className="text-slate-500">({session.user.username})</span>
                  </span>
                  {/* Phones: the links fold under a Menu button (a checkbox, so it works without script). */}
                  <label
                    htmlFor="main-menu-toggle"
                    className="cursor-pointer rounded-md border border-slate-300 px-2.5 py-1 md:hidden"
                  >
                    Menu
                    {unreadCount > 0 ? (
                      <span className="ml-1 rounded-full bg-red-600 px-1.5 text-xs text-white">
                        {unreadCount}
                      </span>
                    ) : null}
                  </label>
                </div>
                <input id="main-menu-toggle" type="checkbox" className="peer sr-only" />
                <div className="hidden w-full flex-col gap-3 border-t border-slate-100 pt-3 text-sm peer-checked:flex md:flex md:w-auto md:flex-row md:items-center md:gap-4 md:border-0 md:pt-0">
                  {actor && can(actor, "request.review") ? (
                    <Link href="/ops" className="hover:underline">
                      Operations
                    </Link>
                  ) : null}
                  {actor && can(actor, "fleet.read") ? (
                    <Link href="/ops/hubs" className="hover:underline">
                      Hubs
                    </Link>
                  ) : null}
                  {actor && can(actor, "audit.read") ? (
                    <Link href="/ops/audit" className="hover:underline">
                      Audit log
                    </Link>
                  ) : null}
                  {actor && can(actor, "identity.manage") ? (
                    <Link href="/ops/identity" className="hover:underline">
                      Sign-in
                    </Link>
                  ) : null}
                  {actor && can(actor, "credits.read") ? (
                    <Link href="/ops/credits" className="hover:underline">
                      Credits
                    </Link>
                  ) : null}
                  <Link href="/requests" className="hover:underline">
                    My requests
                  </Link>
                  <Link
                    href="/notifications"
                    className="hover:underline"
                    data-testid="notifications-link"
                  >
                    Notifications
                    {unreadCount > 0 ? (
                      <span className="ml-1 rounded-full bg-red-600 px-1.5 text-xs text-white">
                        {unreadCount}
                      </span>
                    ) : null}
                  </Link>
                  <SignOutButton />
                </div>
              </>
            ) : (
              <Link
                href="/signin"
                className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700"
              >
                Sign in
              </Link>
            )}
          </nav>
        </header>
        <ApiProvider>
          <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">{children}</main>
        </ApiProvider>
      </body>
    </html>
  );
}
