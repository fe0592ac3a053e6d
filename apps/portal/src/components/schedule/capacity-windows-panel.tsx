"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AppRouterOutputs } from "@hubfed/api";
import { FieldError } from "~/components/form/field-error";
import { buttonClass, inputClass, secondaryButtonClass } from "~/components/form/form-classes";
import { fieldErrorsOrMessage } from "~/lib/field-errors";
import { formatCents } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import {
  formatInZone,
  formatMemory,
  formatSpanInZone,
  windowStatusLabels,
} from "./schedule-format";
import { WindowDecision } from "./window-decision";

type Schedule = AppRouterOutputs["capacity"]["schedule"];

const statusClasses = {
  PENDING: "bg-amber-100 text-amber-900",
  APPROVED: "bg-green-100 text-green-900",
  REJECTED: "bg-red-100 text-red-900",
} as const;

/** Capacity windows: seats held warm for an exam or a workshop, with their status and cost. */
export function CapacityWindowsPanel({
  schedule,
  currency,
}: {
  schedule: Schedule;
  currency?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const { course, envelope, canEdit, canReview } = schedule;
  const [form, setForm] = useState({
    reason: "",
    startsAt: "",
    endsAt: "",
    seats: "",
    memoryGib: "2",
  });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [outcome, setOutcome] = useState<string | null>(null);
  const request = useMutation(
    trpc.capacity.requestWindow.mutationOptions({
      onSuccess: (result) => {
        setErrors({});
        setForm({ ...form, reason: "", startsAt: "", endsAt: "", seats: "" });
        setOutcome(
          result.status === "APPROVED"
            ? "Approved: the window is within the hub's envelope."
            : `Sent to the federation's operators (${result.beyondEnvelope.join("; ")}). Estimated cost ${formatCents(result.estimatedCostCents, currency)}.`,
        );
        router.refresh();
      },
      onError: (error) => {
        setOutcome(null);
        setErrors(fieldErrorsOrMessage(error));
      },
    }),
  );
  const withdraw = useMutation(
    trpc.capacity.withdrawWindow.mutationOptions({ onSuccess: () => router.refresh() }),
  );
  const field = (name: keyof typeof form, label: string, type = "text") => (
    <label className="block text-sm">
      {label}
      <input
        type={type}
        value={form[name]}
        onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        className={inputClass}
      />
      <FieldError errors={errors[name === "memoryGib" ? "memoryMibPerSeat" : name]} />
    </label>
  );

  return (
    <section aria-labelledby="windows-heading" data-testid="capacity-windows">
      <h2 id="windows-heading" className="text-xl font-semibold">
        Capacity windows
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Seats held warm before a rush, so students do not wait for new machines. Approved at once up
        to <strong>{envelope.maxSeats} seats</strong> at{" "}
        <strong>{formatMemory(envelope.maxMemoryMibPerSeat)}</strong> each ({envelope.rule}); larger
        windows go to the federation&apos;s operators first, with their estimated cost.
      </p>
      {schedule.capacityWindows.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No capacity windows.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {schedule.capacityWindows.map((window) => (
            <li key={window.id} className="p-3 text-sm" data-testid="capacity-window">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span
                    className={`mr-2 rounded px-2 py-0.5 text-xs ${statusClasses[window.status]}`}
                    data-testid="window-status"
                  >
                    {windowStatusLabels[window.status]}
                  </span>
                  <strong>{window.reason}</strong>: {window.seats} seats,{" "}
                  {formatMemory(window.memoryMibPerSeat)} each,{" "}
                  {formatSpanInZone(window.startsAt, window.endsAt, course.timezone)} · estimated{" "}
                  {formatCents(window.estimatedCostCents, currency)}
                </span>
                {canEdit ? (
                  <button
                    type="button"
                    className={secondaryButtonClass}
                    disabled={withdraw.isPending}
                    onClick={() =>
                      withdraw.mutate({ courseSlug: course.slug, windowId: window.id })
                    }
                  >
                    Withdraw<span className="sr-only"> {window.reason}</span>
                  </button>
                ) : null}
              </div>
              {window.decidedAt && window.status !== "PENDING" ? (
                <p className="mt-1 text-xs text-slate-600">
                  {window.decidedBy ? `Decided by ${window.decidedBy}` : "Decided"},{" "}
                  {formatInZone(window.decidedAt, course.timezone)}
                  {window.decisionNote ? `: ${window.decisionNote}` : ""}
                </p>
              ) : null}
              {canReview && window.status === "PENDING" ? (
                <WindowDecision windowId={window.id} label={window.reason} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <form
          aria-label="Ask for a capacity window"
          className="mt-3 grid items-start gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-3"
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate({
              courseSlug: course.slug,
              reason: form.reason,
              startsAt: form.startsAt,
              endsAt: form.endsAt,
              seats: Number(form.seats),
              memoryMibPerSeat: Math.round(Number(form.memoryGib) * 1024),
            });
          }}
        >
          {field("reason", "What for (e.g. Midterm exam)")}
          {field("startsAt", `From (${course.timezone})`, "datetime-local")}
          {field("endsAt", "Until", "datetime-local")}
          {field("seats", "Seats", "number")}
          {field("memoryGib", "Memory per seat (GiB)", "number")}
          <div className="pt-5">
            <button type="submit" disabled={request.isPending} className={buttonClass}>
              Ask for the window
            </button>
            <FieldError errors={errors.form} />
          </div>
          {outcome ? (
            <p role="status" className="text-sm text-slate-800 md:col-span-3">
              {outcome}
            </p>
          ) : null}
        </form>
      ) : null}
    </section>
  );
}
