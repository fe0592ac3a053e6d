"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { formatCents } from "~/lib/format";
import { fieldErrorsOf } from "~/lib/field-errors";
import { useOperationKey } from "~/lib/operation-key";
import { useTRPC } from "~/trpc/react";

/** "12.50" → 1250n; anything else → null (the form explains). */
function parseDollars(text: string): bigint | null {
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(text.trim())) return null;
  const [whole = "0", fraction = ""] = text.trim().split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

function ManageForm({
  title,
  onSubmit,
  isPending,
  error,
  children,
}: {
  title: string;
  onSubmit: () => void;
  isPending: boolean;
  error?: string;
  children: ReactNode;
}) {
  return (
    <form
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <h3 className="font-medium">{title}</h3>
      {children}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={isPending}
        className="rounded-md bg-brand-600 px-3 py-1.5 text-sm text-white disabled:opacity-50"
      >
        {title}
      </button>
    </form>
  );
}

const selectClass = "w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** A dollar amount as typed ("500.00"); parseDollars turns it into cents on submit. */
function AmountField({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (amount: string) => void;
  placeholder: string;
}) {
  return (
    <label className="block text-sm">
      Amount
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        inputMode="decimal"
        placeholder={placeholder}
        className={selectClass}
      />
    </label>
  );
}

interface ManageCreditsProps {
  pools: Array<{ id: string; name: string; currency: string; availableCents: bigint }>;
  institutions: Array<{ id: string; name: string }>;
  institutionAllocations: Array<{
    id: string;
    name: string;
    currency: string;
    availableCents: bigint;
  }>;
}

/**
 * Ops' money operations. Each submission carries its own idempotency key, so
 * a double click or a retried request posts once.
 */
export function ManageCredits({ pools, institutions, institutionAllocations }: ManageCreditsProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [messages, setMessages] = useState<Record<string, string | undefined>>({});
  const done = (form: string, renewKey: () => void) => ({
    onSuccess: () => {
      renewKey();
      setMessages((current) => ({ ...current, [form]: undefined }));
      void queryClient.invalidateQueries({ queryKey: trpc.credits.overview.queryKey() });
    },
    onError: (error: { message: string }) => {
      const fields = Object.entries(fieldErrorsOf(error)).map(
        ([field, errors]) => `${field} ${errors.join("; ")}`,
      );
      setMessages((current) => ({
        ...current,
        [form]: fields.length ? fields.join(". ") : error.message,
      }));
    },
  });
  const [topUp, setTopUp] = useState({ poolId: "", amount: "" });
  const [allocation, setAllocation] = useState({
    poolId: "",
    institutionId: "",
    amount: "",
    limitPolicy: "NOTIFY" as "NOTIFY" | "SUSPEND",
  });
  const [move, setMove] = useState({ fromAllocationId: "", toAllocationId: "", amount: "" });
  const topUpKey = useOperationKey(topUp);
  const allocationKey = useOperationKey(allocation);
  const moveKey = useOperationKey(move);

  const topUpPool = useMutation(
    trpc.credits.topUpPool.mutationOptions(done("topUp", topUpKey.renew)),
  );
  const allocate = useMutation(
    trpc.credits.allocateToInstitution.mutationOptions(done("allocate", allocationKey.renew)),
  );
  const transfer = useMutation(
    trpc.credits.transferBetweenAllocations.mutationOptions(done("transfer", moveKey.renew)),
  );
  const invalid = (form: string, text: string) =>
    setMessages((current) => ({ ...current, [form]: text }));

  return (
    <section aria-labelledby="manage-heading" className="space-y-3">
      <h2 id="manage-heading" className="text-xl font-semibold">
        Manage credits
      </h2>
      <div className="grid gap-4 md:grid-cols-3">
        <ManageForm
          title="Top up a pool"
          isPending={topUpPool.isPending}
          error={messages.topUp}
          onSubmit={() => {
            const amountCents = parseDollars(topUp.amount);
            if (!topUp.poolId || !amountCents)
              return invalid("topUp", "Choose a pool and an amount like 500.00");
            topUpPool.mutate({
              poolId: topUp.poolId,
              amountCents,
              idempotencyKey: topUpKey.key,
            });
          }}
        >
          <label className="block text-sm">
            Pool
            <select
              value={topUp.poolId}
              onChange={(event) => setTopUp({ ...topUp, poolId: event.target.value })}
              className={selectClass}
            >
              <option value="">Choose…</option>
              {pools.map((pool) => (
                <option key={pool.id} value={pool.id}>
                  {pool.name} ({formatCents(pool.availableCents, pool.currency)} available)
                </option>
              ))}
            </select>
          </label>
          <AmountField
            value={topUp.amount}
            onChange={(amount) => setTopUp({ ...topUp, amount })}
            placeholder="500.00"
          />
        </ManageForm>

        <ManageForm
          title="Allocate to an institution"
          isPending={allocate.isPending}
          error={messages.allocate}
          onSubmit={() => {
            const amountCents = parseDollars(allocation.amount);
            if (!allocation.poolId || !allocation.institutionId || !amountCents)
              return invalid("allocate", "Choose a pool, an institution and an amount");
            allocate.mutate({
              poolId: allocation.poolId,
              institutionId: allocation.institutionId,
              amountCents,
              limitPolicy: allocation.limitPolicy,
              idempotencyKey: allocationKey.key,
            });
          }}
        >
          <label className="block text-sm">
            From pool
            <select
              value={allocation.poolId}
              onChange={(event) => setAllocation({ ...allocation, poolId: event.target.value })}
              className={selectClass}
            >
              <option value="">Choose…</option>
              {pools.map((pool) => (
                <option key={pool.id} value={pool.id}>
                  {pool.name}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm">
            Institution
            <select
              value={allocation.institutionId}
              onChange={(event) =>
                setAllocation({ ...allocation, institutionId: event.target.value })
              }
              className={selectClass}
            >
              <option value="">Choose…</option>
              {institutions.map((institution) => (
                <option key={institution.id} value={institution.id}>
                  {institution.name}
                </option>
              ))}
            </select>
          </label>
          <AmountField
            value={allocation.amount}
            onChange={(amount) => setAllocation({ ...allocation, amount })}
            placeholder="2000.00"
          />
          <label className="block text-sm">
            At 100 %
            <select
              value={allocation.limitPolicy}
              onChange={(event) =>
                setAllocation({
                  ...allocation,
                  limitPolicy: event.target.value as "NOTIFY" | "SUSPEND",
                })
              }
              className={selectClass}
            >
              <option value="NOTIFY">Notify</option>
              <option value="SUSPEND">Suspend after the grace period</option>
            </select>
          </label>
        </ManageForm>

        <ManageForm
          title="Move credit"
          isPending={transfer.isPending}
          error={messages.transfer}
          onSubmit={() => {
            const amountCents = parseDollars(move.amount);
            if (!move.fromAllocationId || !move.toAllocationId || !amountCents)
              return invalid("transfer", "Choose two allocations and an amount");
            transfer.mutate({
              fromAllocationId: move.fromAllocationId,
              toAllocationId: move.toAllocationId,
              amountCents,
              idempotencyKey: moveKey.key,
            });
          }}
        >
          {(["fromAllocationId", "toAllocationId"] as const).map((field) => (
            <label key={field} className="block text-sm">
              {field === "fromAllocationId" ? "From" : "To"}
              <select
                value={move[field]}
                onChange={(event) => setMove({ ...move, [field]: event.target.value })}
                className={selectClass}
              >
                <option value="">Choose…</option>
                {institutionAllocations.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {candidate.name} ({formatCents(candidate.availableCents, candidate.currency)}{" "}
                    free)
                  </option>
                ))}
              </select>
            </label>
          ))}
          <AmountField
            value={move.amount}
            onChange={(amount) => setMove({ ...move, amount })}
            placeholder="100.00"
          />
        </ManageForm>
      </div>
    </section>
  );
}
