"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatCents } from "~/lib/format";
import { fieldErrorsOf } from "~/lib/field-errors";
import { useTRPC } from "~/trpc/react";

/** Ops' decision on a submitted request: approve (cluster and pool), ask for changes, or decline. */
export interface DomainClaimView {
  domain: string;
  isRequesterDomain: boolean;
  claimedBy: { slug: string; name: string } | null;
}

export function DecisionPanel({
  requestId,
  kind,
  status,
  domainClaims,
}: {
  requestId: string;
  kind: "NEW_HUB" | "CHANGE";
  status: string;
  /** Set when approving founds a new institution: the domains it would own, for ops to confirm. */
  domainClaims: DomainClaimView[] | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = useQuery({
    ...trpc.request.approvalOptions.queryOptions(),
    enabled: kind === "NEW_HUB" && status === "SUBMITTED",
  });
  const [clusterId, setClusterId] = useState("");
  const [creditPoolId, setCreditPoolId] = useState("");
  const [note, setNote] = useState("");
  const [confirmedDomains, setConfirmedDomains] = useState<string[]>([]);
  const [message, setMessage] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string>();
  const preview = useQuery({
    ...trpc.request.previewApproval.queryOptions({ requestId, clusterId }),
    enabled: clusterId !== "",
  });
  const onSettled = {
    onSuccess: () => {
      setErrors({});
      setError(undefined);
      void queryClient.invalidateQueries({ queryKey: trpc.request.get.queryKey({ requestId }) });
    },
    onError: (failure: { message: string }) => {
      setErrors(fieldErrorsOf(failure));
      setError(failure.message);
    },
  };
  const approve = useMutation(trpc.request.approve.mutationOptions(onSettled));
  const approveChange = useMutation(trpc.request.approveChange.mutationOptions(onSettled));
  const requestChanges = useMutation(trpc.request.requestChanges.mutationOptions(onSettled));
  const reject = useMutation(trpc.request.reject.mutationOptions(onSettled));

  if (status !== "SUBMITTED") return null;
  const cluster = options.data?.clusters.find((candidate) => candidate.id === clusterId);
  // Only pools on the chosen cluster's billing entity can pay for it (credits attach to the entity).
  const pools = cluster
    ? (options.data?.pools ?? []).filter((pool) => pool.cloudId === cluster.cloudId)
    : [];
  const holdCents = preview.data ? BigInt(preview.data.totalCents) : undefined;
  const allDomainsConfirmed = (domainClaims ?? []).every((claim) =>
    confirmedDomains.includes(claim.domain),
  );

  return (
    <section
      className="space-y-5 rounded-lg border-2 border-indigo-200 bg-indigo-50/40 p-5"
      aria-labelledby="decision-heading"
      data-testid="decision-panel"
    >
      <h2 id="decision-heading" className="text-lg font-semibold">
        Decision
      </h2>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {kind === "NEW_HUB" ? (
        <div className="grid gap-4 md:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor="decision-cluster" className="block text-sm font-medium">
              Cluster
            </label>
            <select
              id="decision-cluster"
              value={clusterId}
              onChange={(event) => {
                setClusterId(event.target.value);
                setCreditPoolId("");
              }}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            >
              <option value="">Choose a cluster…</option>
              {options.data?.clusters.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.region} · {candidate.displayName}
                </option>
              ))}
            </select>
            {errors.clusterId ? (
              <p role="alert" className="text-sm text-red-700">
                {errors.clusterId.join("; ")}
              </p>
            ) : null}
          </div>
          <div className="space-y-1">
            <label htmlFor="decision-pool" className="block text-sm font-medium">
              Credit pool
            </label>
            <select
              id="decision-pool"
              value={creditPoolId}
              onChange={(event) => setCreditPoolId(event.target.value)}
              disabled={!cluster}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm disabled:bg-slate-100"
            >
              <option value="">
                {!cluster
                  ? "Choose a cluster first"
                  : pools.length === 0
                    ? "No pool pays for this cluster"
                    : "Choose a pool…"}
              </option>
              {pools.map((pool) => {
                const isShort = holdCents !== undefined && BigInt(pool.availableCents) < holdCents;
                return (
                  <option key={pool.id} value={pool.id} disabled={isShort}>
                    {pool.name} ({formatCents(pool.availableCents, pool.currency)} available
                    {isShort ? ", not enough for the hold" : ""})
                  </option>
                );
              })}
            </select>
            {errors.creditPoolId ? (
              <p role="alert" className="text-sm text-red-700">
                Credit pool {errors.creditPoolId.join("; ")}
              </p>
            ) : null}
          </div>
          {preview.data ? (
            <p className="text-sm md:col-span-2" data-testid="approval-preview">
              On this cluster the hold will be{" "}
              <strong>
                {formatCents(
                  preview.data.totalCents,
                  cluster ? (pools[0]?.currency ?? "USD") : "USD",
                )}
              </strong>{" "}
              ({formatCents(preview.data.perStudentMonthCents)} per student per month).
            </p>
          ) : null}
          {domainClaims ? (
            <fieldset className="space-y-1 md:col-span-2" data-testid="domain-claims">
              <legend className="text-sm font-medium">
                Email domains the new institution will own (its members sign in from them)
              </legend>
              {domainClaims.map((claim) => {
                const isClaimable = claim.isRequesterDomain && !claim.claimedBy;
                return (
                  <label
                    key={claim.domain}
                    className="flex items-center gap-2 text-sm"
                    data-testid="domain-claim"
                    data-claimable={isClaimable}
                  >
                    <input
                      type="checkbox"
                      checked={confirmedDomains.includes(claim.domain)}
                      onChange={(event) =>
                        setConfirmedDomains((current) =>
                          event.target.checked
                            ? [...current, claim.domain]
                            : current.filter((domain) => domain !== claim.domain),
                        )
                      }
                    />
                    <span className="font-mono">{claim.domain}</span>
                    <span className={isClaimable ? "text-green-800" : "text-red-700"}>
                      {claim.isRequesterDomain
                        ? "the requester's verified sign-in domain"
                        : "not the requester's verified sign-in domain"}
                      {claim.claimedBy ? `; already belongs to ${claim.claimedBy.name}` : ""}
                    </span>
                  </label>
                );
              })}
              {[
                ...(errors["institution.emailDomains"] ?? []),
                ...(errors.confirmedEmailDomains ?? []),
              ].map((problem) => (
                <p key={problem} role="alert" className="text-sm text-red-700">
                  {problem}
                </p>
              ))}
            </fieldset>
          ) : null}
          <div className="space-y-1 md:col-span-2">
            <label htmlFor="decision-note" className="block text-sm font-medium">
              Note to the requester (optional)
            </label>
            <input
              id="decision-note"
              value={note}
              onChange={(event) => setNote(event.target.value)}
              maxLength={5000}
              className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
          </div>
          <button
            type="button"
            disabled={!clusterId || !creditPoolId || !allDomainsConfirmed || approve.isPending}
            onClick={() =>
              approve.mutate({
                requestId,
                clusterId,
                creditPoolId,
                note: note || undefined,
                confirmedEmailDomains: domainClaims ? confirmedDomains : undefined,
              })
            }
            className="rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50 md:col-span-2 md:w-fit"
          >
            Approve and create the hub
          </button>
        </div>
      ) : (
        <button
          type="button"
          disabled={approveChange.isPending}
          onClick={() => approveChange.mutate({ requestId })}
          className="rounded-md bg-green-700 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50"
        >
          Approve the change
        </button>
      )}
      <div className="space-y-2 border-t border-indigo-200 pt-4">
        <label htmlFor="decision-message" className="block text-sm font-medium">
          Message for asking changes or declining
        </label>
        <textarea
          id="decision-message"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          rows={3}
          maxLength={5000}
          className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
        />
        {errors.message || errors.reason ? (
          <p role="alert" className="text-sm text-red-700">
            {(errors.message ?? errors.reason ?? []).join("; ")}
          </p>
        ) : null}
        <div className="flex gap-3">
          <button
            type="button"
            disabled={requestChanges.isPending}
            onClick={() => requestChanges.mutate({ requestId, message })}
            className="rounded-md bg-amber-600 px-4 py-2 text-sm font-medium text-white"
          >
            Ask for changes
          </button>
          <button
            type="button"
            disabled={reject.isPending}
            onClick={() => reject.mutate({ requestId, reason: message })}
            className="rounded-md border border-red-400 px-4 py-2 text-sm text-red-800"
          >
            Decline
          </button>
        </div>
      </div>
    </section>
  );
}
