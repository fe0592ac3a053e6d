"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { secondaryButtonClass } from "~/components/form/form-classes";
import { formatDate } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { ClickChart } from "./click-chart";
import { linkInterfaceLabels } from "./link-interfaces";

export interface LinkListEntry {
  id: string;
  code: string;
  title: string;
  repositoryUrl: string;
  branch: string;
  path: string;
  interface: "LAB" | "CLASSIC" | "RSTUDIO" | "SHINY";
  targetPath: string | null;
  verification: "UNVERIFIED" | "OK" | "BROKEN";
  verificationMessage: string | null;
  verifiedAt: Date | null;
  archivedAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  shortUrl: string;
  nbgitpullerUrl: string | null;
  /** Server-rendered by the qrcode package from our own short URL. */
  qrCodeSvg: string | null;
  clicks: { total: number; last30Days: number; daily: Array<{ day: string; clicks: number }> };
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [isCopied, setIsCopied] = useState(false);
  return (
    <button
      type="button"
      className={secondaryButtonClass}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setIsCopied(true);
          setTimeout(() => setIsCopied(false), 1500);
        });
      }}
    >
      {isCopied ? "Copied" : label}
    </button>
  );
}

export function LinkList({
  links,
  canArchive,
}: {
  courseSlug: string;
  links: LinkListEntry[];
  canArchive: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const archive = useMutation(
    trpc.link.archive.mutationOptions({
      onSuccess: () => router.refresh(),
      onError: (failure) => setError(failure.message),
    }),
  );
  const live = links.filter((link) => !link.archivedAt);
  const archived = links.filter((link) => link.archivedAt);

  return (
    <section aria-labelledby="links-heading" className="space-y-4">
      <h2 id="links-heading" className="text-xl font-semibold">
        Published links
      </h2>
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      {live.length === 0 ? <p className="text-slate-600">No links published yet.</p> : null}
      <ul className="space-y-4">
        {live.map((link) => (
          <li
            key={link.id}
            className="rounded-lg border border-slate-200 bg-white p-5"
            data-testid="content-link"
            data-code={link.code}
          >
            {link.verification === "BROKEN" ? (
              <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-sm text-red-900">
                This link is broken: {link.verificationMessage} Students who open it will not get
                the material. Fix the repository or publish a new link.
              </p>
            ) : null}
            <div className="flex flex-wrap gap-6">
              <div className="min-w-0 flex-1 space-y-2">
                <h3 className="text-lg font-semibold">{link.title}</h3>
                <p className="text-sm break-all text-slate-600">
                  {link.repositoryUrl} · {link.branch} · {link.path || "(whole repository)"} ·{" "}
                  {linkInterfaceLabels[link.interface]}
                  {link.targetPath ? ` · into ${link.targetPath}` : ""}
                </p>
                <p className="text-sm text-slate-500">
                  Published {formatDate(link.createdAt)}
                  {link.createdBy ? ` by ${link.createdBy}` : ""} ·{" "}
                  {link.verification === "OK"
                    ? `checked on GitHub ${link.verifiedAt ? formatDate(link.verifiedAt) : ""}`
                    : link.verification === "UNVERIFIED"
                      ? (link.verificationMessage ?? "not checked yet")
                      : "broken"}
                </p>
                <div className="flex flex-wrap items-center gap-2">
                  <code className="rounded bg-slate-100 px-2 py-1 text-sm" data-testid="short-url">
                    {link.shortUrl}
                  </code>
                  <CopyButton text={link.shortUrl} label="Copy link" />
                  {link.nbgitpullerUrl ? (
                    <CopyButton text={link.nbgitpullerUrl} label="Copy nbgitpuller URL" />
                  ) : null}
                  {canArchive ? (
                    <button
                      type="button"
                      className={secondaryButtonClass}
                      disabled={archive.isPending}
                      onClick={() => {
                        if (window.confirm(`Archive “${link.title}”? Its link will stop working.`))
                          archive.mutate({ linkId: link.id });
                      }}
                    >
                      Archive
                    </button>
                  ) : null}
                </div>
                <p className="text-sm" data-testid="click-totals">
                  <strong>{link.clicks.total}</strong> clicks in all ·{" "}
                  <strong>{link.clicks.last30Days}</strong> in the last 30 days
                </p>
                <ClickChart daily={link.clicks.daily} />
              </div>
              {link.qrCodeSvg ? (
                <div
                  className="h-40 w-40 shrink-0"
                  role="img"
                  aria-label={`QR code for ${link.shortUrl}`}
                  // The SVG is generated on the server from our own short URL.
                  dangerouslySetInnerHTML={{ __html: link.qrCodeSvg }}
                />
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {archived.length > 0 ? (
        <details>
          <summary className="cursor-pointer text-sm text-slate-600">
            {archived.length} archived link{archived.length === 1 ? "" : "s"}
          </summary>
          <ul className="mt-2 space-y-1 text-sm text-slate-600">
            {archived.map((link) => (
              <li key={link.id}>
                {link.title} (/i/{link.code}) — archived{" "}
                {link.archivedAt ? formatDate(link.archivedAt) : ""}, {link.clicks.total} clicks
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
